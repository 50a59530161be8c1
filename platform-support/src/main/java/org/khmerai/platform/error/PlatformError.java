package org.khmerai.platform.error;

import io.grpc.Status;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The platform's stable error codes. Every error a caller can see has one: over REST it is the
 * {@code code} of the problem+json body, over gRPC the {@code khmer-error-code} trailer.
 * Titles are given in English and Khmer; the caller's {@code Accept-Language} chooses.
 */
public enum PlatformError {
    MISSING_TOKEN("missing-token", Status.Code.UNAUTHENTICATED, 401,
            "A bearer token is required.",
            "តម្រូវឱ្យមាន bearer token។"),
    INVALID_TOKEN("invalid-token", Status.Code.UNAUTHENTICATED, 401,
            "The bearer token is invalid or has expired.",
            "Token មិនត្រឹមត្រូវ ឬផុតកំណត់ហើយ។"),
    FORBIDDEN("forbidden", Status.Code.PERMISSION_DENIED, 403,
            "You are not allowed to use this service.",
            "អ្នកគ្មានសិទ្ធិប្រើសេវានេះទេ។"),
    MALFORMED_JSON("malformed-json", Status.Code.INVALID_ARGUMENT, 400,
            "The request body is not valid JSON for this method.",
            "ទិន្នន័យ JSON នៃសំណើមិនត្រឹមត្រូវ។"),
    INVALID_UTF8("invalid-utf8", Status.Code.INVALID_ARGUMENT, 400,
            "The request body is not valid UTF-8.",
            "អត្ថបទនៃសំណើមិនមែនជា UTF-8 ត្រឹមត្រូវទេ។"),
    MISSING_FIELD("missing-field", Status.Code.INVALID_ARGUMENT, 400,
            "A required field is missing.",
            "ខ្វះវាលដែលតម្រូវឱ្យមាន។"),
    INVALID_ARGUMENT("invalid-argument", Status.Code.INVALID_ARGUMENT, 400,
            "The request is not valid.",
            "សំណើមិនត្រឹមត្រូវ។"),
    PAYLOAD_TOO_LARGE("payload-too-large", Status.Code.RESOURCE_EXHAUSTED, 413,
            "The request body is too large.",
            "សំណើធំពេក។"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", Status.Code.INVALID_ARGUMENT, 415,
            "The request body must be application/json.",
            "សំណើត្រូវតែជា application/json។"),
    NOT_FOUND("not-found", Status.Code.NOT_FOUND, 404,
            "Nothing was found at this address.",
            "រកមិនឃើញអ្វីនៅអាសយដ្ឋាននេះទេ។"),
    CONFLICT("conflict", Status.Code.FAILED_PRECONDITION, 409,
            "The resource is not in a state that allows this.",
            "សកម្មភាពនេះមិនអាចធ្វើបានក្នុងស្ថានភាពបច្ចុប្បន្នទេ។"),
    BLOCKED_BY_POLICY("blocked-by-policy", Status.Code.FAILED_PRECONDITION, 422,
            "Your ministry's policy does not allow this text.",
            "គោលការណ៍របស់ក្រសួងរបស់អ្នកមិនអនុញ្ញាតអត្ថបទនេះទេ។"),
    METHOD_NOT_ALLOWED("method-not-allowed", Status.Code.UNIMPLEMENTED, 405,
            "This HTTP method is not allowed here.",
            "វិធីសាស្ត្រ HTTP នេះមិនត្រូវបានអនុញ្ញាតនៅទីនេះទេ។"),
    RATE_LIMITED("rate-limited", Status.Code.RESOURCE_EXHAUSTED, 429,
            "Too many requests; try again later.",
            "សំណើច្រើនពេក។ សូមព្យាយាមម្ដងទៀតនៅពេលក្រោយ។"),
    NOT_IMPLEMENTED("not-implemented", Status.Code.UNIMPLEMENTED, 501,
            "This function is not available yet.",
            "មុខងារនេះមិនទាន់មាននៅឡើយទេ។"),
    SERVICE_UNAVAILABLE("service-unavailable", Status.Code.UNAVAILABLE, 503,
            "The service is unavailable for the moment; try again later.",
            "សេវាមិនអាចប្រើបានបណ្ដោះអាសន្ន។ សូមព្យាយាមម្ដងទៀតនៅពេលក្រោយ។"),
    NOT_CONFIGURED("not-configured", Status.Code.UNAVAILABLE, 503,
            "This service has no model server configured yet.",
            "សេវានេះមិនទាន់បានកំណត់ម៉ាស៊ីនមេម៉ូដែលនៅឡើយទេ។"),
    INCOMPLETE_ANSWER("incomplete-answer", Status.Code.UNAVAILABLE, 502,
            "The model server stopped before it finished its answer.",
            "ម៉ាស៊ីនមេម៉ូដែលបានឈប់មុនពេលឆ្លើយចប់។"),
    DEADLINE_EXCEEDED("deadline-exceeded", Status.Code.DEADLINE_EXCEEDED, 504,
            "The service took too long to answer.",
            "សេវាឆ្លើយតបយឺតពេក។"),
    INTERNAL("internal-error", Status.Code.INTERNAL, 500,
            "Something went wrong inside the platform.",
            "មានកំហុសនៅខាងក្នុងប្រព័ន្ធ។");

    private final String code;
    private final Status.Code grpcCode;
    private final int httpStatus;
    private final String english;
    private final String khmer;

    PlatformError(String code, Status.Code grpcCode, int httpStatus, String english, String khmer) {
        this.code = code;
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
        this.english = english;
        this.khmer = khmer;
    }

    public String code() {
        return code;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Khmer for callers who prefer Khmer ({@code km}), English for everyone else. */
    public String title(Locale locale) {
        return "km".equals(locale.getLanguage()) ? khmer : english;
    }

    public static Optional<PlatformError> byCode(String code) {
        return Arrays.stream(values()).filter(error -> error.code.equals(code)).findFirst();
    }

    /** The error a gRPC status stands for when the service named none of its own. */
    public static PlatformError forStatus(Status.Code status) {
        return switch (status) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> INVALID_ARGUMENT;
            case UNAUTHENTICATED -> INVALID_TOKEN;
            case PERMISSION_DENIED -> FORBIDDEN;
            case NOT_FOUND -> NOT_FOUND;
            case RESOURCE_EXHAUSTED -> RATE_LIMITED;
            case UNIMPLEMENTED -> NOT_IMPLEMENTED;
            case UNAVAILABLE -> SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> DEADLINE_EXCEEDED;
            default -> INTERNAL;
        };
    }
}
