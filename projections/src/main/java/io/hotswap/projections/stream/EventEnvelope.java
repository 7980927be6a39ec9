package io.hotswap.projections.stream;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What consumers of the event stream get for every stored event (the README documents it). {@code eventId} is
 * unique: delivery is at least once, so consumers drop repeats by it. {@code sequenceNumber} orders one aggregate's
 * events; the aggregate fields are null for events without an aggregate (security violations).
 */
public record EventEnvelope(String eventId, String type, String revision, String aggregateType, String aggregateId,
                            Long sequenceNumber, String tenantId, Instant timestamp, JsonNode payload) {
}
