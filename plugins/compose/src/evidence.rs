//! Facts for other plugins (the backup inventory, runbooks): every compose service once.
use opslint_sdk::{Ctx, EvidenceMeta};

use crate::model::Repo;

pub fn meta() -> Vec<EvidenceMeta> {
    vec![EvidenceMeta {
        key: "compose/service".into(),
        description: "a compose service (one fact each, at its name): `name=`, `image=` (interpolated; empty when built or unknown), `build=` (the Dockerfile it builds, as a repository path), `ports=`, `depends_on=`, `mounts=` (container paths), `env=` (variable names), `dev=` (in a local development or test file)".into(),
    }]
}

pub fn collect(_cx: &mut Ctx, _repo: &Repo) {}
