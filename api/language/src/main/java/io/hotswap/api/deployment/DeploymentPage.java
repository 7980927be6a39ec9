package io.hotswap.api.deployment;

import java.util.List;

/** One page of a listing and the total count. A concrete type, because Axon matches query results by class. */
public record DeploymentPage(List<DeploymentView> items, int page, int size, long total) {
}
