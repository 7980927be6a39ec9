package io.hotswap.query.audit;

import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
public class AuditQueryHandler {

    private final AuditTrail trail;
    private final PageCursors cursors;

    public AuditQueryHandler(AuditTrail trail, PageCursors cursors) {
        this.trail = trail;
        this.cursors = cursors;
    }

    @QueryHandler
    public AuditPage handle(FindAuditEntriesQuery query) {
        PageRequest page = query.page();
        List<AuditEntry> read = trail.find(query);
        long counted = trail.count(query);
        return new AuditPage(page.shown(read), page.page(), page.size(), Math.min(counted, AuditPage.COUNTED),
                counted <= AuditPage.COUNTED,
                cursors.next(FindAuditEntriesQuery.LISTING, query.filters(), page, read, AuditTrail::key));
    }
}
