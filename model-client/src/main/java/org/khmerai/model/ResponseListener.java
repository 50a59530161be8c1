package org.khmerai.model;

import io.netty.handler.codec.http.HttpObject;

/** Receives one response of a model server, on its connection's event loop: nothing it does may wait. */
interface ResponseListener {

    /**
     * The next part of the response: its head ({@link io.netty.handler.codec.http.HttpResponse}),
     * then its content, the last part of which is a {@link io.netty.handler.codec.http.LastHttpContent}.
     * The part is released when this returns.
     */
    void response(HttpObject part);

    /** The connection closed or failed before the response ended; no part follows. */
    void broken(Throwable cause);
}
