package org.khmerai.policy;

/** Each ministry's {@link CallPolicy}, as a service that enforces them knows them. */
@FunctionalInterface
public interface CallPolicies {

    /** For services and tests where no ministry has rules that act on calls. */
    CallPolicies NONE = tenant -> CallPolicy.NONE;

    /**
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE when the ministries' rules could not be read yet:
     *                                        a call is not served on rules that may be missing
     */
    CallPolicy of(String tenant);
}
