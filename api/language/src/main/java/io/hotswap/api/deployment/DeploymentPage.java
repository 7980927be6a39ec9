package io.hotswap.api.deployment;

import java.util.List;

/**
 * One page of a listing, the total count and the cursor to the next page (null on the last). A concrete type, because
 * Axon matches query results by class.
 */
public record DeploymentPage(List<DeploymentView> items, int page, int size, long total, String next) {
}
