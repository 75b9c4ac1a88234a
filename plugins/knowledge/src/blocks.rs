//! The block `opslint runbook` writes into the runbook drafts it creates: it
//! restates evidence found elsewhere (with its sources) and the gaps, so it is
//! not evidence itself. Plugins that read documents blank it first.

pub const RUNBOOK_BEGIN: &str = "<!-- opslint:runbook:begin -->";
pub const RUNBOOK_END: &str = "<!-- opslint:runbook:end -->";

/// `text` with a runbook block replaced by as many newlines as it held
/// (line numbers after it stay right); unchanged without a well-formed block.
pub fn blank_runbook(text: &str) -> std::borrow::Cow<'_, str> {
    let (Some(b), Some(e)) = (text.find(RUNBOOK_BEGIN), text.find(RUNBOOK_END)) else {
        return text.into();
    };
    if e < b {
        return text.into();
    }
    let end = e + RUNBOOK_END.len();
    let newlines = "\n".repeat(text[b..end].matches('\n').count());
    format!("{}{newlines}{}", &text[..b], &text[end..]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_the_block_keeping_lines() {
        let t = "# A\n<!-- opslint:runbook:begin -->\nRTO: 1 h\n<!-- opslint:runbook:end -->\nmine\n";
        assert_eq!(blank_runbook(t), "# A\n\n\n\nmine\n");
        assert_eq!(blank_runbook("no block\n"), "no block\n");
        let reversed = "<!-- opslint:runbook:end -->\n<!-- opslint:runbook:begin -->\n";
        assert_eq!(blank_runbook(reversed), reversed);
    }
}
