-- Why a tenant is not Active (its provisioning's progress or last failure); NULL once it is.
ALTER TABLE tenant_view ADD COLUMN status_reason TEXT;
