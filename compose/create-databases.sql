-- The platform's databases; each service's own migrations (Flyway) create its tables.
CREATE DATABASE khmer_ai_segmentation;
CREATE DATABASE khmer_ai_translation;
CREATE DATABASE khmer_ai_audit;
