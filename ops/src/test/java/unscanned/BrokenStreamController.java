package unscanned;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * A stream whose source fails after its first lines went out, the way a lost PostgreSQL connection fails (an
 * {@code EOFException} among its causes). In a package of its own so that only the test that asks for it has it.
 */
@RestController
public class BrokenStreamController {

    public static final String PATH = "/api/v1/test/broken-stream";
    public static final int LINES = 1_000;

    @GetMapping(PATH)
    void stream(HttpServletResponse response) throws IOException {
        response.setContentType("application/x-ndjson");
        OutputStream out = response.getOutputStream();
        for (int line = 0; line < LINES; line++) out.write(("{\"line\":" + line + "}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        throw new DataAccessResourceFailureException("An I/O error occurred while sending to the backend.",
                new SQLException("An I/O error occurred while sending to the backend.", "08006", new EOFException()));
    }
}
