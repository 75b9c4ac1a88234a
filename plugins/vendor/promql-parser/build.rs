// Copyright 2023 Greptime Team
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

use cfgrammar::yacc::YaccKind;
use lrlex::{ct_token_map, DefaultLexerTypes};
use lrpar::CTParserBuilder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctp = CTParserBuilder::<DefaultLexerTypes<u8>>::new()
        .yacckind(YaccKind::Grmtools)
        .recoverer(lrpar::RecoveryKind::None)
        .grammar_in_src_dir("parser/promql.y")?
        .build()?;
    tables_once()?;
    ct_token_map::<u8>("token_map", ctp.token_map(), None)
}

// opslint patch: the generated `parse` deserializes the grammar and its state
// table on every call (most of the time a rule file's expressions took);
// they are made once per process instead.
fn tables_once() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("parser/promql.y.rs");
    let code = std::fs::read_to_string(&out)?;
    let each_call = "let (grm, stable) = ::lrpar::ctbuilder::_reconstitute(__GRM_DATA, __STABLE_DATA);";
    let once = "static TABLES: ::std::sync::OnceLock<(::cfgrammar::yacc::YaccGrammar<u8>, ::lrtable::StateTable<u8>)> = \
                ::std::sync::OnceLock::new();\n        \
                let (grm, stable) = TABLES.get_or_init(|| ::lrpar::ctbuilder::_reconstitute(__GRM_DATA, __STABLE_DATA));";
    if code.matches(each_call).count() != 1 {
        return Err("promql-parser build: the generated parser no longer reconstitutes its tables as expected".into());
    }
    std::fs::write(&out, code.replace(each_call, once))?;
    Ok(())
}
