//! Component tests in headless Chromium: the app renders the embedded
//! example's graph, the layout is deterministic, and the view agrees with
//! the core.

#![cfg(target_arch = "wasm32")]

use portolan_core::cluster::WhatIf;
use portolan_www::examples::EXAMPLES;
use portolan_www::view::compute;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn tick(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_app_renders_the_default_example_graph() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<portolan_www::App>::with_root(root.clone()).render();
    tick(50).await;
    let services = root
        .query_selector_all("[data-kind=service]")
        .unwrap()
        .length();
    assert_eq!(services, 12, "Online Boutique has 12 Services");
    let editor = root
        .query_selector("[data-testid=editor]")
        .unwrap()
        .unwrap();
    let text = editor
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert!(text.contains("kind: Deployment"));
}

#[wasm_bindgen_test]
fn the_layout_is_deterministic_and_on_integer_coordinates() {
    let a = compute(EXAMPLES[1].text, &WhatIf::default());
    let b = compute(EXAMPLES[1].text, &WhatIf::default());
    assert!(
        a.layout == b.layout && a.diagnostics == b.diagnostics && a.details == b.details,
        "the same input gives the same view"
    );
    assert!(
        a.layout
            .nodes
            .iter()
            .all(|n| n.x >= 0 && n.y >= 0 && n.x < a.layout.width && n.y < a.layout.height)
    );
    let ids: std::collections::BTreeSet<_> = a.layout.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), a.layout.nodes.len(), "node ids are unique");
}

#[wasm_bindgen_test]
fn bookinfo_reviews_has_three_endpoints_in_the_details() {
    let v = compute(EXAMPLES[1].text, &WhatIf::default());
    let d = &v.details["service:default/reviews"];
    assert_eq!(d.endpoints.len(), 3);
    assert!(d.location.as_ref().is_some_and(|(line, _)| *line > 1));
}

#[wasm_bindgen_test]
fn findings_carry_their_lines() {
    let v = compute(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports:\n  - port: 80\n",
        &WhatIf::default(),
    );
    assert_eq!(v.errors, 1);
    assert_eq!(v.diagnostics[0].line, 4);
    assert_eq!(
        v.diagnostics[0].node.as_deref(),
        Some("service:default/Web")
    );
}
