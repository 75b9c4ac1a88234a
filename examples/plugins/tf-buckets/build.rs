fn main() {
    // Lists src/rules/*.rs into $OUT_DIR/rules.rs: one rule per file.
    opslint_sdk_build::register_rules("crate::model::Buckets");
}
