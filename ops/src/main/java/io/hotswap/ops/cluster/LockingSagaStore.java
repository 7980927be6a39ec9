package io.hotswap.ops.cluster;

import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.SagaStore;

import java.util.Set;

/**
 * A saga store whose sagas are loaded under a cluster-wide lock, held until the unit of work that loaded one has
 * committed its update. JdbcSagaStore updates without a version check (Axon 4.13.0): without the lock a deadline on
 * one node and an event on another could both load a saga, and the later update would silently undo the earlier.
 */
public class LockingSagaStore implements SagaStore<Object> {

    private final SagaStore<Object> delegate;
    private final LockFactory locks;

    public LockingSagaStore(SagaStore<Object> delegate, LockFactory locks) {
        this.delegate = delegate;
        this.locks = locks;
    }

    @Override
    public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        // the unit of work first: without one the lock would never be released
        UnitOfWork<?> loading = CurrentUnitOfWork.get().root();
        Lock lock = locks.obtainLock(sagaIdentifier);
        loading.onCleanup(unitOfWork -> lock.release());
        return delegate.loadSaga(sagaType, sagaIdentifier);
    }

    @Override
    public Set<String> findSagas(Class<?> sagaType, AssociationValue associationValue) {
        return delegate.findSagas(sagaType, associationValue);
    }

    @Override
    public void deleteSaga(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> associationValues) {
        delegate.deleteSaga(sagaType, sagaIdentifier, associationValues);
    }

    @Override
    public void insertSaga(Class<?> sagaType, String sagaIdentifier, Object saga,
                           Set<AssociationValue> associationValues) {
        delegate.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    @Override
    public void updateSaga(Class<?> sagaType, String sagaIdentifier, Object saga, AssociationValues associationValues) {
        delegate.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
    }
}
