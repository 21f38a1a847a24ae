//! The page's components, one a file.

pub mod certificates_panel;
pub mod cipher_panel;
pub mod editor;
pub mod embed_view;
pub mod examples_gallery;
pub mod explain_panel;
pub mod exposure_panel;
pub mod finding_card;
pub mod findings;
pub mod fix_review;
pub mod generate_view;
pub mod gutter;
pub mod input_panel;
pub mod document_card;
pub mod live_check;
pub mod report_section;
pub mod scorecard;
pub mod settings_bar;
pub mod who_gets_in;
pub mod share_bar;
pub mod view_nav;
