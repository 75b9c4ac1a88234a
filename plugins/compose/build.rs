fn main() {
    opslint_sdk_build::register_rules("crate::model::Repo");
}
