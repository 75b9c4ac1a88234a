//! Metrics whose value, once bad, stays bad until someone acts: waiting
//! (`for:`) or a rate adds nothing to them.

/// A drive's wear level, which only falls, and its SMART verdict; an uncorrectable hardware error
/// count, which means the part is failing and resets only when the machine
/// restarts (usually for the repair); a software RAID's member states, which
/// stay degraded until a disk is replaced; a finished Job's failure, which
/// stays until the Job is deleted.
pub fn latched(name: &str) -> bool {
    const WEAR: &[&str] =
        &["smart_status", "available_spare", "percentage_used", "wearout", "wear_level", "life_left", "remaining_life"];
    const EXACT: &[&str] = &["kube_job_status_failed", "kube_job_failed", "node_md_disks", "node_md_disks_required"];
    let lower = name.to_lowercase();
    WEAR.iter().any(|w| lower.contains(w)) || lower.contains("uncorrectable") || EXACT.contains(&lower.as_str())
}
