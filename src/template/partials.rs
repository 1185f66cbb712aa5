//! How deep a template goes, checked when it is loaded, before it can exhaust the stack:
//!
//! - which templates include which (`{{> name}}`): a template that includes itself, directly
//!   or through others, would recurse until the stack overflows (Handlebars catches only a
//!   direct `{{> self}}`), so such a cycle is refused, naming the templates in it. A partial's
//!   name must be written out: a computed one (`{{> (lookup …)}}`) could close a cycle this
//!   check cannot see;
//! - how deep blocks (`{{#if}}`, `{{#each}}`) and included partials nest, together: at most
//!   [`MAX_DEPTH`] levels. The source is measured before it is compiled
//!   ([`check_source`]: the parser recurses too), the compiled templates after.

use std::collections::{BTreeMap, BTreeSet};

use handlebars::template::{Parameter, Template, TemplateElement};
use handlebars::Handlebars;

use crate::error::{Error, Result};

/// The deepest nesting of blocks and partials a template may have. Real templates use 2 or
/// 3; a render thread overflowed its stack at about 1,000 (debug build).
pub(crate) const MAX_DEPTH: usize = 100;

/// Refuses a source whose blocks (`{{#…}}`) or parentheses inside `{{…}}` nest deeper than
/// [`MAX_DEPTH`], before the parser recurses into them. `name` is the template's name.
pub(crate) fn check_source(name: &str, source: &str) -> Result<()> {
    let (mut blocks, mut deepest) = (0usize, 0usize);
    for tag in source.split("{{").skip(1) {
        let tag = tag.split("}}").next().unwrap_or("");
        let tag = tag.trim_start_matches(['{', '~']);
        if tag.starts_with('#') {
            blocks += 1;
        } else if tag.starts_with('/') {
            blocks = blocks.saturating_sub(1);
        }
        let mut parens = 0usize;
        for c in tag.chars() {
            match c {
                '(' => parens += 1,
                ')' => parens = parens.saturating_sub(1),
                _ => {}
            }
            deepest = deepest.max(parens);
        }
        deepest = deepest.max(blocks);
    }
    if deepest > MAX_DEPTH {
        return Err(too_deep(name, deepest));
    }
    Ok(())
}

/// Refuses `name` if it, or a partial it includes, includes `name` again; if it includes a
/// partial by a computed name; or if its blocks and partials nest deeper than [`MAX_DEPTH`].
pub(crate) fn check(hb: &Handlebars<'static>, name: &str) -> Result<()> {
    let graph = graph(hb).map_err(|message| Error::Template {
        name: name.to_string(),
        message,
    })?;
    // Templates loaded before were checked: a cycle now goes through `name` or a partial
    // defined in it. Trying every node also finds a cycle of inline partials.
    let cycle = std::iter::once(name)
        .chain(graph.keys().map(String::as_str))
        .find_map(|start| cycle_from(&graph, start));
    if let Some(cycle) = cycle {
        return Err(Error::Template {
            name: name.to_string(),
            message: format!(
                "includes itself through partials ({}); a template may not include itself, \
                 or the render would never end",
                cycle.join(" → ")
            ),
        });
    }
    let mut memo = BTreeMap::new();
    let deepest = graph
        .keys()
        .map(|node| depth(&graph, node, &mut memo))
        .max()
        .unwrap_or(0);
    if deepest > MAX_DEPTH {
        return Err(too_deep(name, deepest));
    }
    Ok(())
}

fn too_deep(name: &str, depth: usize) -> Error {
    Error::Template {
        name: name.to_string(),
        message: format!(
            "blocks and partials nest {depth} levels deep, more than the {MAX_DEPTH} allowed; \
             a document needs a few"
        ),
    }
}

/// A registered template or an inline partial (`{{#*inline "x"}}`): how deep its own blocks
/// nest, and the partials it includes with the block depth at which each is included.
#[derive(Default)]
struct Node {
    blocks: usize,
    includes: Vec<(String, usize)>,
}

/// The nodes by name.
type Graph = BTreeMap<String, Node>;

fn graph(hb: &Handlebars<'static>) -> std::result::Result<Graph, String> {
    let mut graph = Graph::new();
    for (name, template) in hb.get_templates() {
        walk(template, name, 0, &mut graph)?;
    }
    Ok(graph)
}

/// Adds what `template`, at block depth `level` inside `owner`, includes and how deep it
/// nests.
fn walk(
    template: &Template,
    owner: &str,
    level: usize,
    graph: &mut Graph,
) -> std::result::Result<(), String> {
    let node = graph.entry(owner.to_string()).or_default();
    node.blocks = node.blocks.max(level);
    for element in &template.elements {
        match element {
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                let target = partial_name(&d.name)?;
                if target != "@partial-block" {
                    let node = graph.entry(owner.to_string()).or_default();
                    node.includes.push((target, level));
                }
                if let Some(t) = &d.template {
                    walk(t, owner, level + 1, graph)?;
                }
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::DecoratorExpression(d) => {
                let inline = match (d.name.as_name(), d.params.first()) {
                    (Some("inline"), Some(p)) => Some(partial_name(p)?),
                    _ => None,
                };
                if let Some(t) = &d.template {
                    match &inline {
                        Some(inline) => walk(t, inline, 0, graph)?,
                        None => walk(t, owner, level + 1, graph)?,
                    }
                }
            }
            TemplateElement::HelperBlock(h) => {
                for t in h.template.iter().chain(h.inverse.iter()) {
                    walk(t, owner, level + 1, graph)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn partial_name(p: &Parameter) -> std::result::Result<String, String> {
    match p {
        Parameter::Literal(serde_json::Value::String(s)) => Ok(s.clone()),
        Parameter::Name(_) | Parameter::Path(_) => Ok(p.as_name().unwrap_or_default().to_string()),
        _ => Err(
            "a partial's name is computed (`{{> (…)}}`); write the name out: `{{> name}}`".into(),
        ),
    }
}

/// How deep `node` nests with the partials it includes (the graph has no cycle). A partial
/// that is not a template counts one level.
fn depth(graph: &Graph, node: &str, memo: &mut BTreeMap<String, usize>) -> usize {
    if let Some(&d) = memo.get(node) {
        return d;
    }
    let Some(n) = graph.get(node) else {
        return 0;
    };
    let mut deepest = n.blocks;
    for (target, level) in &n.includes {
        deepest = deepest.max(level + 1 + depth(graph, target, memo));
    }
    memo.insert(node.to_string(), deepest);
    deepest
}

/// A path of includes from `start` back to `start`, if there is one.
fn cycle_from(graph: &Graph, start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    if reaches(graph, start, start, &mut path, &mut seen) {
        Some(path)
    } else {
        None
    }
}

/// Depth-first: whether `from` reaches `goal`, with the path so far in `path`. The depth is
/// at most the number of templates.
fn reaches(
    graph: &Graph,
    from: &str,
    goal: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> bool {
    let includes = graph
        .get(from)
        .map(|n| n.includes.as_slice())
        .unwrap_or(&[]);
    for (next, _) in includes {
        path.push(next.clone());
        if next == goal {
            return true;
        }
        if seen.insert(next.clone()) && reaches(graph, next, goal, path, seen) {
            return true;
        }
        path.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(templates: &[(&str, &str)]) -> Handlebars<'static> {
        let mut hb = Handlebars::new();
        for (name, src) in templates {
            hb.register_template_string(name, *src).expect("compiles");
        }
        hb
    }

    #[test]
    fn issue9_mutually_recursive_partials_are_refused_naming_the_cycle() {
        let hb = registry(&[
            ("a", "x {{#if y}}{{> b}}{{/if}}"),
            ("b", "{{#each z}}{{> c}}{{/each}}"),
            ("c", "{{> a}}"),
        ]);
        let e = check(&hb, "a").unwrap_err().to_string();
        assert!(
            e.contains("template `a`") && e.contains("a → b → c → a"),
            "{e}"
        );
        let inline = registry(&[(
            "t",
            "{{#*inline \"p\"}}{{> q}}{{/inline}}{{#*inline \"q\"}}{{> p}}{{/inline}}{{> p}}",
        )]);
        let e = check(&inline, "t").unwrap_err().to_string();
        assert!(e.contains("p → q → p") || e.contains("q → p → q"), "{e}");
    }

    #[test]
    fn issue9_a_chain_of_partials_passes_and_a_computed_name_is_refused() {
        let hb = registry(&[("a", "{{> b}}{{> b}}"), ("b", "{{> c}}"), ("c", "c")]);
        for t in ["a", "b", "c"] {
            assert!(check(&hb, t).is_ok(), "{t}");
        }
        let dynamic = registry(&[("d", "{{> (lookup this \"n\")}}")]);
        let e = check(&dynamic, "d").unwrap_err().to_string();
        assert!(e.contains("computed"), "{e}");
    }

    #[test]
    fn issue9_nesting_deeper_than_the_limit_is_refused_before_and_after_compiling() {
        let nested = |n: usize| format!("{}x{}", "{{#if a}}".repeat(n), "{{/if}}".repeat(n));
        assert!(check_source("t", &nested(MAX_DEPTH)).is_ok());
        let e = check_source("t", &nested(MAX_DEPTH + 1))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("template `t`") && e.contains("101 levels"),
            "{e}"
        );
        let parens = format!(
            "{{{{upper {}x{}}}}}",
            "(upper ".repeat(200),
            ")".repeat(200)
        );
        assert!(check_source("t", &parens).is_err());
        // 60 levels in one template and 60 in the partial it includes, inside them.
        let hb = registry(&[
            ("a", &nested(60).replace('x', "{{> b}}")),
            ("b", &nested(60)),
        ]);
        let e = check(&hb, "a").unwrap_err().to_string();
        assert!(e.contains("121 levels"), "{e}");
        let hb = registry(&[
            ("a", &nested(40).replace('x', "{{> b}}")),
            ("b", &nested(40)),
        ]);
        assert!(check(&hb, "a").is_ok());
    }
}
