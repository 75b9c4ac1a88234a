//! `--shard I/N`: a repository belongs to shard `hash(name) mod N`, so the
//! share does not depend on the list's order or on the other repositories.
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u64,
    pub count: u64,
}

pub fn parse(s: &str) -> Result<Shard, String> {
    let bad = || format!("`{s}` is not a shard: write I/N with 1 <= I <= N (e.g. 2/4)");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let index: u64 = i.trim().parse().map_err(|_| bad())?;
    let count: u64 = n.trim().parse().map_err(|_| bad())?;
    if count == 0 || index == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// A stable number for a repository name: the first 8 bytes of its SHA-256.
pub fn hash(name: &str) -> u64 {
    let d = Sha256::digest(name.as_bytes());
    u64::from_be_bytes(d[..8].try_into().expect("8 bytes"))
}

impl Shard {
    pub fn holds(&self, name: &str) -> bool {
        hash(name) % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_a_list() {
        let names: Vec<String> = (0..200).map(|i| format!("github.com/org/repo-{i}")).collect();
        for n in 1..6 {
            let mut seen = 0;
            for i in 1..=n {
                let s = parse(&format!("{i}/{n}")).unwrap();
                seen += names.iter().filter(|x| s.holds(x)).count();
            }
            assert_eq!(seen, names.len());
        }
        assert!(parse("0/3").is_err() && parse("4/3").is_err() && parse("x").is_err());
    }
}
