//! CI systems, by the files that configure them, and whether opslint reads them.

/// A CI system a repository uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct System {
    /// Stable id (`github-actions`, `circleci`).
    pub id: &'static str,
    /// How people name it.
    pub name: &'static str,
    /// Whether opslint's ci plugin reads its configuration (tests, deploys, schedules).
    pub read: bool,
}

const fn sys(id: &'static str, name: &'static str, read: bool) -> System {
    System { id, name, read }
}

pub const GITHUB_ACTIONS: System = sys("github-actions", "GitHub Actions", true);
pub const GITLAB_CI: System = sys("gitlab-ci", "GitLab CI", true);

/// The CI system a repository-relative path configures, if any.
pub fn system_of(path: &str) -> Option<System> {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    // `d` ("a/" or "a/b/") as whole folders of the path, by comparing
    // components: every YAML file of a repository is asked about, by several
    // plugins, and most match none.
    let folders: Vec<&str> = lower.split('/').collect();
    let folders = &folders[..folders.len() - 1];
    let in_dir = |d: &str| {
        let d = d.trim_end_matches('/');
        folders.windows(d.split('/').count()).any(|w| w.iter().copied().eq(d.split('/')))
    };
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    Some(if in_dir(".github/workflows/") && yaml {
        GITHUB_ACTIONS
    } else if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" {
        GITLAB_CI
    } else if in_dir(".circleci/") && name.starts_with("config") && yaml {
        sys("circleci", "CircleCI", true)
    } else if name == "jenkinsfile" || name.starts_with("jenkinsfile.") || name.ends_with(".jenkinsfile") {
        sys("jenkins", "Jenkins", false)
    } else if (name == ".woodpecker.yml" || name == ".woodpecker.yaml") || (in_dir(".woodpecker/") && yaml) {
        sys("woodpecker", "Woodpecker CI", true)
    } else if name == ".drone.yml" || name == ".drone.yaml" {
        sys("drone", "Drone CI", true)
    } else if name == "azure-pipelines.yml" || name == "azure-pipelines.yaml" || (in_dir(".azure-pipelines/") && yaml) {
        sys("azure-pipelines", "Azure Pipelines", false)
    } else if name == "bitbucket-pipelines.yml" {
        sys("bitbucket-pipelines", "Bitbucket Pipelines", false)
    } else if name == ".travis.yml" {
        sys("travis", "Travis CI", false)
    } else if in_dir(".buildkite/") && yaml {
        sys("buildkite", "Buildkite", false)
    } else if name == ".cirrus.yml" {
        sys("cirrus", "Cirrus CI", false)
    } else if name == "appveyor.yml" || name == ".appveyor.yml" {
        sys("appveyor", "AppVeyor", false)
    } else if (in_dir(".gitea/workflows/") || in_dir(".forgejo/workflows/")) && yaml {
        sys("gitea-actions", "Gitea/Forgejo Actions", false)
    } else if name == "cloudbuild.yaml" || name == "cloudbuild.yml" || (in_dir("cloudbuild/") && yaml) {
        sys("cloud-build", "Google Cloud Build", false)
    } else if in_dir(".semaphore/") && yaml {
        sys("semaphore", "Semaphore", false)
    } else if in_dir(".tekton/") && yaml {
        sys("tekton", "Tekton", false)
    } else if in_dir(".teamcity/") {
        sys("teamcity", "TeamCity", false)
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systems_by_path() {
        let id = |p: &str| system_of(p).map(|s| (s.id, s.read));
        assert_eq!(id(".github/workflows/ci.yml"), Some(("github-actions", true)));
        assert_eq!(id(".gitlab-ci.yml"), Some(("gitlab-ci", true)));
        assert_eq!(id(".circleci/config.yml"), Some(("circleci", true)));
        assert_eq!(id("Jenkinsfile"), Some(("jenkins", false)));
        assert_eq!(id("ci/Jenkinsfile.release"), Some(("jenkins", false)));
        assert_eq!(id(".woodpecker/test.yml"), Some(("woodpecker", true)));
        assert_eq!(id(".woodpecker.yml"), Some(("woodpecker", true)));
        assert_eq!(id(".drone.yml"), Some(("drone", true)));
        assert_eq!(id("azure-pipelines.yml"), Some(("azure-pipelines", false)));
        assert_eq!(id("bitbucket-pipelines.yml"), Some(("bitbucket-pipelines", false)));
        assert_eq!(id("docker-compose.yml"), None);
        assert_eq!(id("docs/workflows/x.yml"), None);
    }

    /// A CI folder counts as whole folders anywhere in the path: not as the
    /// end of another folder's name, nor as a file's name.
    #[test]
    fn ci_folders_are_whole_folders() {
        let id = |p: &str| system_of(p).map(|s| s.id);
        assert_eq!(id("svc/.github/workflows/ci.yaml"), Some("github-actions"));
        assert_eq!(id("svc\\.github\\workflows\\ci.yaml"), Some("github-actions"));
        assert_eq!(id(".GitHub/Workflows/CI.yml"), Some("github-actions"));
        assert_eq!(id("x.github/workflows/ci.yml"), None);
        assert_eq!(id("a/.buildkite/pipeline.yml"), Some("buildkite"));
        assert_eq!(id("my.buildkite/pipeline.yml"), None);
        assert_eq!(id("deploy/cloudbuild/build.yaml"), Some("cloud-build"));
        assert_eq!(id("deploy/mycloudbuild/build.yaml"), None);
        assert_eq!(id(".teamcity/settings.kts"), Some("teamcity"));
        assert_eq!(id(".teamcity"), None);
    }
}
