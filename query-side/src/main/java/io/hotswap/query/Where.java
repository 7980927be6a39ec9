package io.hotswap.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A WHERE clause built condition by condition, with its parameters in order. */
public final class Where {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    public Where and(String condition, Object... values) {
        sql.append(sql.isEmpty() ? " WHERE " : " AND ").append(condition);
        params.addAll(Arrays.asList(values));
        return this;
    }

    /** {@code column = value}, or nothing when there is no value (a filter not asked for). */
    public Where equal(String column, Object value) {
        return value == null ? this : and(column + " = ?", value);
    }

    /** The clause with its leading space, or nothing. */
    public String sql() {
        return sql.toString();
    }

    /** The parameters, then {@code more} for what follows the clause (a limit, an offset). */
    public List<Object> params(Object... more) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(Arrays.asList(more));
        return all;
    }
}
