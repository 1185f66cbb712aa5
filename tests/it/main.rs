//! The integration tests, in one binary: one link of the crate and its dependencies instead
//! of one per file (issue 11: a cold `cargo test` built and linked 21 test binaries). Each module
//! is one former `tests/<name>.rs`; run one with `cargo test --test it <name>::`.

mod common;

mod bad_input;
mod bundle;
mod closing_header;
mod dependency_shapes;
mod font_layer;
mod forms;
mod hostile_input;
mod issue11_errors;
mod issue11_sign_reader;
mod issue12_bundle_sign;
mod issue12_fields;
mod issue12_pdfa;
mod issue12_same_look;
mod issue12_sign;
mod issue12_sign_errors;
mod issue12_sign_fields;
mod issue12_sign_look;
mod issue12_sign_pdfa;
mod issue12_token;
mod issue9_bundle;
mod layers;
mod layout;
mod nothing_lost;
mod pdf_size;
mod pipeline;
mod real_documents;
mod render_primitives;
mod report;
mod schema;
mod sign_support;
mod sign_validators;
mod streaming;
