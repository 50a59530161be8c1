-- Translations of whole sentences that translators proposed for the memory (a model's, as the caller
-- received it), until an administrator approves one into translation_memory or turns it down: rows
-- of the memory's shape, key included, which ResourceStore reads and writes as it does the others.
create table translation_proposal (like translation_memory including all);
