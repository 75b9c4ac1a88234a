//! What the join reads of the objects of files a run does not report (a
//! pre-commit run names a few files; every other manifest is only context):
//! the fields the cross-file rules ask of other objects and the repository's
//! evidence reads, and nothing else, so the join builds a fraction of each
//! tree. A test (tests/facts.rs) keeps the join's findings and evidence
//! equal with and without it, file by file, over the fixtures and corpora.
use opslint_yaml::codec::Shape::{self, All, Items, Keys};

/// A container: what the evidence's coverage counts (a probe's presence,
/// the requests and the memory limit).
const CONTAINER: Shape = Keys(&[
    ("name", All),
    ("image", All),
    ("resources", Keys(&[("requests", Keys(&[("cpu", All), ("memory", All)])), ("limits", Keys(&[("memory", All)]))])),
    ("readinessProbe", PRESENT),
    ("livenessProbe", PRESENT),
]);

/// A mapping kept empty: that the key is there.
const PRESENT: Shape = Keys(&[]);

/// A pod spec's fields: a workload has containers; a batch pod's restart
/// policy; the zone spread evidence.
const POD: &[(&str, Shape)] = &[
    ("containers", Items(&CONTAINER)),
    ("initContainers", Items(&CONTAINER)),
    ("restartPolicy", All),
    ("topologySpreadConstraints", All),
    ("affinity", Keys(&[("podAntiAffinity", All)])),
];

/// A pod template: its labels (what selectors match) and its spec.
const TEMPLATE: Shape = Keys(&[("metadata", Keys(&[("labels", All)])), ("spec", Keys(POD))]);

/// `spec`: selectors (Services, PDBs), replicas, an HPA's or a KEDA
/// ScaledObject's target and bounds, a schedule (Velero), a claim's access
/// modes, and the pod template wherever a built-in workload kind keeps it;
/// then [`POD`]'s fields, since a Pod's pod spec is `spec` itself.
const SPEC: Shape = Keys(&concat::<14>(
    &[
        ("selector", All),
        ("replicas", All),
        ("scaleTargetRef", All),
        ("minReplicas", All),
        ("maxReplicas", All),
        ("schedule", All),
        ("accessModes", All),
        ("template", TEMPLATE),
        ("jobTemplate", Keys(&[("spec", Keys(&[("template", TEMPLATE)]))])),
    ],
    POD,
));

/// `a` then `b`, as one list of keys (`N`: their lengths together, else it does not compile).
const fn concat<const N: usize>(
    a: &[(&'static str, Shape)],
    b: &[(&'static str, Shape)],
) -> [(&'static str, Shape); N] {
    let mut out = [("", All); N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    assert!(a.len() + b.len() == N);
    out
}

/// An object of a file the run does not report. Custom workload kinds
/// (`workload-kinds`) keep their pod spec elsewhere: the join reads those
/// runs' objects whole.
pub const OBJECT: Shape = Keys(&[
    ("apiVersion", All),
    ("kind", All),
    ("metadata", Keys(&[("name", All), ("generateName", All), ("namespace", All), ("labels", All)])),
    ("spec", SPEC),
    ("roleRef", All),
    ("subjects", All),
]);
