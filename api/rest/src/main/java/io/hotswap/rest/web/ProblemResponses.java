package io.hotswap.rest.web;

import io.hotswap.api.error.DomainException;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.StorageUnavailableException;
import io.hotswap.rest.plugin.BinaryLimit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

/**
 * The one place errors become {@code application/problem+json}. Domain refusals keep their message as
 * {@code detail}; anything unexpected is logged with its correlation id and answered without internals.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    /** Request attribute: the failure that broke the answer off after it had begun; the connection must be cut. */
    public static final String BROKEN_OFF = ProblemResponses.class.getName() + ".brokenOff";

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final ObjectProvider<BinaryLimit> binaryLimit;

    public ProblemResponses(ObjectProvider<BinaryLimit> binaryLimit) {
        this.binaryLimit = binaryLimit;
    }

    public static URI type(String problemType) {
        return URI.create("urn:hotswap:problem:" + problemType);
    }

    public static ProblemDetail problem(int status, String problemType, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(type(problemType));
        return problem;
    }

    /** The problem type of a status with nothing more particular to say: 404 is {@code not-found}. */
    public static String typeOf(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "http-" + status : known.name().toLowerCase().replace('_', '-');
    }

    /** What to tell a client when all that is known is the status (the container refused the request). */
    public static String genericDetail(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: its path or headers are malformed (encoded '/', '\\' or "
                    + "'..' and control characters are not allowed in paths)";
            case 401 -> "A valid bearer token is required";
            case 403 -> "You may not do this with your token's roles";
            case 404 -> "There is nothing at this path";
            case 405 -> "This path does not take this method";
            case 408 -> "The request took too long to arrive";
            case 413 -> "The request is larger than this endpoint accepts";
            case 414 -> "The request path or query is too long";
            case 415 -> "This content type is not accepted here";
            case 431 -> "The request headers are too large";
            case 503 -> "The service is unavailable right now; try again in a few seconds";
            default -> status >= 500 ? "Something went wrong on our side; quote the X-Correlation-Id response header "
                    + "when you report it" : "The request was refused (" + status + ")";
        };
    }

    @ExceptionHandler(DomainException.class)
    ProblemDetail domain(DomainException e) {
        return of(e);
    }

    public static ProblemDetail of(DomainException e) {
        ProblemDetail problem = problem(RefusalStatus.of(e), e.problemType(), e.getMessage());
        e.details().forEach(problem::setProperty);
        if (e instanceof InvalidInputException invalid) problem.setProperty("errors", invalid.errors());
        return problem;
    }

    /** Query and command futures wrap what their handlers threw; answer for the refusal inside. */
    @ExceptionHandler(CompletionException.class)
    ResponseEntity<ProblemDetail> wrapped(CompletionException e, HttpServletRequest request,
                                          HttpServletResponse response) throws Exception {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException domain) return ResponseEntity.status(RefusalStatus.of(domain)).body(of(domain));
        }
        return unexpected(e, request, response);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException e) {
        return problem(404, "not-found", "'" + e.getAggregateIdentifier() + "' does not exist");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrentChange(ConcurrencyException e) {
        return problem(409, "concurrent-modification", "Someone else changed this at the same moment; try again");
    }

    /**
     * The lock this request needed stayed taken longer than it may wait, or the lock service (Redis) was away: busy,
     * not broken, and nothing was changed.
     */
    @ExceptionHandler(LockAcquisitionFailedException.class)
    ResponseEntity<ProblemDetail> busy(LockAcquisitionFailedException e) {
        log.warn("Gave up on a lock: {}", e.getMessage());
        return retryLater(problem(503, "busy", "Another request is changing the same thing, or the lock service is "
                + "unreachable; nothing was changed, try again in a few seconds"));
    }

    @ExceptionHandler(StorageUnavailableException.class)
    ResponseEntity<ProblemDetail> storageUnavailable(StorageUnavailableException e) {
        log.warn("Binary storage unavailable: {}", e.getCause().toString());
        return retryLater(of(e));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return of(new InvalidInputException(e.getName(), "'" + e.getValue() + "' is not a valid "
                + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase())));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail accessDenied(AccessDeniedException e) {
        return problem(403, "forbidden", "You may not do this with your token's roles");
    }

    /**
     * Anything else; a lost database connection somewhere in the chain is a 503 to retry, not a failure of ours. A
     * response already under way (a stream) can no longer become a problem: it is marked {@link #BROKEN_OFF}, and the
     * server cuts the connection instead of ending the answer, so the client sees it end incomplete rather than
     * complete. (Rethrowing is not enough: Spring takes a failure with an {@code EOFException} in its causes, as a
     * lost database connection has, for a client that went away, and ends the answer normally.)
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            log.warn("{} {} broke off after its answer had begun: {}", request.getMethod(), request.getRequestURI(),
                    e.toString());
            request.setAttribute(BROKEN_OFF, e);
            return null;
        }
        if (lostDatabaseConnection(e)) {
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return retryLater(problem(503, "database-unavailable", "The database is unavailable right now; nothing "
                    + "was changed. Try again in a few seconds"));
        }
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(500).body(problem(500, "internal-error", "Something went wrong on our side; "
                + "quote the X-Correlation-Id response header when you report it"));
    }

    /** A 503 for a service that is away for now: the same request may be sent again as it is. */
    private static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem) {
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
    }

    /** SQLState class 08 is "connection exception"; the pool's timeout waiting for one is transient. */
    private static boolean lostDatabaseConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) return true;
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // the container reports -1 for its own limits; the one that counts is Storage.MaxBinarySizeMB
        BinaryLimit limit = binaryLimit.getIfAvailable();
        long max = limit != null ? limit.maxBytes() : e.getMaxUploadSize();
        ProblemDetail problem = max > 0 ? of(new PayloadTooLargeException("The upload", max))
                : problem(413, "payload-too-large", genericDetail(413));
        return ResponseEntity.status(413).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // the parser's message names Java types and parser settings: say what is wrong in the client's terms
        return ResponseEntity.badRequest().body(of(new InvalidInputException("body", "is not valid JSON of the "
                + "expected shape")));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType().equals(URI.create("about:blank"))) {
            problem.setType(type(typeOf(status.value())));
        }
        return super.createResponseEntity(body, headers, status, request);
    }
}
