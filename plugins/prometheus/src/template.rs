//! The Go templates of alert annotations and labels, as far as the rules need
//! them: the actions (`{{ ... }}`), the labels they read and the variables.

/// The actions of a template, or `Err` with what is unbalanced.
pub fn actions(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err("a `{{` is never closed by `}}`".into());
        };
        let body = &after[..close];
        if body.contains("{{") {
            return Err("a `{{` opens inside another action".into());
        }
        out.push(body);
        rest = &after[close + 2..];
    }
    Ok(out)
}

/// Labels an action reads: `$labels.x`, `.Labels.x`, `index $labels "x"`.
pub fn labels_read(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for action in actions(text).unwrap_or_default() {
        for marker in ["$labels.", ".Labels."] {
            let mut from = 0;
            while let Some(at) = action[from..].find(marker) {
                let start = from + at + marker.len();
                let name: String =
                    action[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
                from = start;
            }
        }
        let mut from = 0;
        while let Some(at) = action[from..].find("index $labels \"") {
            let start = from + at + "index $labels \"".len();
            if let Some(end) = action[start..].find('"') {
                out.push(action[start..start + end].to_string());
            }
            from = start;
        }
    }
    out
}

/// Variables an action uses that Prometheus does not define and the template does not declare.
pub fn undefined_variables(text: &str) -> Vec<String> {
    let acts = actions(text).unwrap_or_default();
    let mut declared: Vec<String> =
        ["labels", "value", "externalLabels", "externalURL", ""].iter().map(|s| s.to_string()).collect();
    for a in &acts {
        // `$x :=`, `$x =`, `range $i, $v :=`
        if let Some(eq) = a.find(":=") {
            for v in vars(&a[..eq]) {
                declared.push(v);
            }
        }
    }
    let mut out = Vec::new();
    for a in &acts {
        for v in vars(a) {
            if !declared.contains(&v) && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn vars(action: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_string = false;
    let bytes = action.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' || c == b'`' {
            in_string = !in_string;
        } else if c == b'$' && !in_string {
            let name: String = action[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            i += name.len();
            out.push(name);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn reads_labels_and_variables() {
        let t = "{{ $labels.instance }} of {{ .Labels.job }} is {{ $value | humanize }} {{ index $labels \"pod\" }}";
        assert_eq!(labels_read(t), vec!["instance", "job", "pod"]);
        assert!(undefined_variables(t).is_empty());
        assert_eq!(undefined_variables("{{ $label.instance }}"), vec!["label"]);
        assert!(undefined_variables("{{ range $i, $v := query \"up\" }}{{ $v }}{{ end }}").is_empty());
        assert!(actions("{{ $labels.x }").is_err());
        assert!(labels_read("{{ $externalLabels.cluster }}").is_empty());
    }
}
