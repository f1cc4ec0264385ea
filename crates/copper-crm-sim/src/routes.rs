//! The route table: every operation of the Copper API under `/developer_api/v1`, plus
//! `GET /_sim/stats`.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};

use crate::api::lookups::Lookup;
use crate::api::{Sim, custom, files, lookups, records, related, special, webhooks};
use crate::entity::Kind;
use crate::error::ApiError;
use crate::gate::{OpInfo, gate};

/// The largest request body accepted.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The path prefix of the API.
pub(crate) const API_PREFIX: &str = "/developer_api/v1";

/// The query parameters of a request; a malformed query string is a 400 with a JSON body.
struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<HashMap<String, String>>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Params(q)),
            Err(e) => Err(ApiError::Status(400, format!("Invalid query string: {e}"))),
        }
    }
}

fn respond(r: crate::api::ApiResult) -> Response {
    match r {
        Ok(reply) => reply.into_response(),
        Err(e) => e.into_response(),
    }
}

struct Table {
    sim: Sim,
    router: Router<Sim>,
    ops: Vec<&'static str>,
}

impl Table {
    fn add(mut self, op: &'static str, path: &str, route: MethodRouter<Sim>) -> Self {
        let info = OpInfo {
            id: op,
            bulk: op.contains("bulk_"),
            counter: self.sim.request_counter(op),
        };
        if !self.ops.contains(&op) {
            self.ops.push(op);
        }
        let route = route.layer(from_fn_with_state((self.sim.clone(), info), gate));
        self.router = self.router.route(path, route);
        self
    }
}

/// The operation ids the simulator serves (87).
pub(crate) fn operation_ids(sim: &Sim) -> Vec<&'static str> {
    table(sim).ops
}

/// The application router.
pub(crate) fn app(sim: Sim) -> Router {
    let t = table(&sim);
    let api = t
        .router
        .fallback(|| async { ApiError::NotFound.into_response() })
        .method_not_allowed_fallback(|| async { ApiError::NotFound.into_response() })
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT));
    Router::new()
        .route("/_sim/stats", get(stats))
        .nest(API_PREFIX, api)
        .fallback(|| async { ApiError::NotFound.into_response() })
        .with_state(sim)
}

async fn stats(State(sim): State<Sim>) -> Response {
    (StatusCode::OK, axum::Json(sim.stats())).into_response()
}

/// A `'static` copy of an operation id (each distinct id is allocated once per process).
fn intern(s: &str) -> &'static str {
    static IDS: std::sync::LazyLock<parking_lot::Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::LazyLock::new(Default::default);
    let mut ids = IDS.lock();
    match ids.get(s) {
        Some(id) => id,
        None => {
            let id: &'static str = Box::leak(s.to_string().into_boxed_str());
            ids.insert(id);
            id
        }
    }
}

fn core_routes(mut t: Table, kind: Kind) -> Table {
    let p = kind.plural();
    let name = |suffix: &str| intern(&format!("{p}_{suffix}"));
    t = t
        .add(
            name("get"),
            &format!("/{p}/{{id}}"),
            get(
                move |State(s): State<Sim>, Path(id): Path<String>, Params(q): Params| async move {
                    respond(records::get(&s, kind, &id, &q))
                },
            ),
        )
        .add(
            name("create"),
            &format!("/{p}"),
            post(
                move |State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                    respond(records::create(&s, kind, &body, &q))
                },
            ),
        )
        .add(
            name("update"),
            &format!("/{p}/{{id}}"),
            put(
                move |State(s): State<Sim>,
                      Path(id): Path<String>,
                      Params(q): Params,
                      body: Bytes| async move {
                    respond(records::update(&s, kind, &id, &body, &q))
                },
            ),
        )
        .add(
            name("delete"),
            &format!("/{p}/{{id}}"),
            delete(
                move |State(s): State<Sim>, Path(id): Path<String>| async move {
                    respond(records::delete(&s, kind, &id))
                },
            ),
        )
        .add(
            name("search"),
            &format!("/{p}/search"),
            post(
                move |State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                    respond(records::search(&s, kind, &body, &q))
                },
            ),
        );
    let bulk_create = matches!(
        kind,
        Kind::Lead | Kind::Person | Kind::Company | Kind::Opportunity | Kind::Activity
    );
    let bulk_update = matches!(kind, Kind::Lead | Kind::Person | Kind::Company);
    if bulk_create {
        t = t.add(
            name("bulk_create"),
            &format!("/{p}/bulk_create"),
            post(
                move |State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                    respond(records::bulk_create(&s, kind, &body, &q))
                },
            ),
        );
    }
    if bulk_update {
        t = t.add(
            name("bulk_update"),
            &format!("/{p}/bulk_update"),
            post(
                move |State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                    respond(records::bulk_update(&s, kind, &body, &q))
                },
            ),
        );
    }
    if matches!(kind, Kind::Lead | Kind::Person | Kind::Company) {
        t = t.add(
            name("activities_list"),
            &format!("/{p}/{{id}}/activities"),
            post(
                move |State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                    respond(records::activities_of(&s, kind, &id, &body))
                },
            ),
        );
    }
    if kind != Kind::Activity {
        t = t
            .add(
                "related_items_list",
                &format!("/{p}/{{id}}/related"),
                get(move |State(s): State<Sim>, Path(id): Path<String>| async move {
                    respond(related::list(&s, kind, &id))
                }),
            )
            .add(
                "related_items_list_by_type",
                &format!("/{p}/{{id}}/related/{{related_entity}}"),
                get(
                    move |State(s): State<Sim>, Path((id, other)): Path<(String, String)>| async move {
                        respond(related::list_by_type(&s, kind, &id, &other))
                    },
                ),
            )
            .add(
                "related_items_add",
                &format!("/{p}/{{id}}/related"),
                post(move |State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                    respond(related::add(&s, kind, &id, &body))
                }),
            )
            .add(
                "related_items_remove",
                &format!("/{p}/{{id}}/related"),
                delete(move |State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                    respond(related::remove(&s, kind, &id, &body))
                }),
            );
    }
    if files::FILE_KINDS.contains(&kind) {
        t = t
            .add(
                "files_list",
                &format!("/{p}/{{id}}/files"),
                get(move |State(s): State<Sim>, Path(id): Path<String>| async move {
                    respond(files::list(&s, kind, &id))
                }),
            )
            .add(
                "files_get",
                &format!("/{p}/{{id}}/files/{{file_id}}"),
                get(
                    move |State(s): State<Sim>, Path((id, fid)): Path<(String, String)>| async move {
                        respond(files::get(&s, kind, &id, &fid))
                    },
                ),
            )
            .add(
                "files_attach",
                &format!("/{p}/{{id}}/files"),
                post(move |State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                    respond(files::attach(&s, kind, &id, &body))
                }),
            );
    }
    t
}

fn lookup(which: Lookup) -> MethodRouter<Sim> {
    get(move |State(s): State<Sim>| async move { respond(lookups::list(&s, which)) })
}

fn table(sim: &Sim) -> Table {
    let mut t = Table {
        sim: sim.clone(),
        router: Router::new(),
        ops: Vec::new(),
    };
    t = t
        .add(
            "account_get",
            "/account",
            get(|State(s): State<Sim>| async move { respond(lookups::account(&s)) }),
        )
        .add(
            "users_me",
            "/users/me",
            get(|State(s): State<Sim>| async move { respond(lookups::user(&s, "me")) }),
        )
        .add(
            "users_get",
            "/users/{id}",
            get(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(lookups::user(&s, &id))
            }),
        )
        .add(
            "users_search",
            "/users/search",
            post(|State(s): State<Sim>, body: Bytes| async move {
                respond(lookups::users_search(&s, &body))
            }),
        )
        .add(
            "leads_upsert",
            "/leads/upsert",
            put(|State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                respond(special::upsert(&s, &body, &q))
            }),
        )
        .add(
            "leads_convert",
            "/leads/{id}/convert",
            post(
                |State(s): State<Sim>, Path(id): Path<String>, Params(q): Params, body: Bytes| async move {
                    respond(special::convert(&s, &id, &body, &q))
                },
            ),
        )
        .add(
            "people_fetch_by_email",
            "/people/fetch_by_email",
            post(|State(s): State<Sim>, Params(q): Params, body: Bytes| async move {
                respond(special::fetch_by_email(&s, &body, &q))
            }),
        )
        .add("lead_statuses_list", "/lead_statuses", lookup(Lookup::LeadStatuses))
        .add("customer_sources_list", "/customer_sources", lookup(Lookup::CustomerSources))
        .add("contact_types_list", "/contact_types", lookup(Lookup::ContactTypes))
        .add("loss_reasons_list", "/loss_reasons", lookup(Lookup::LossReasons))
        .add("pipelines_list", "/pipelines", lookup(Lookup::Pipelines))
        .add("pipeline_stages_list", "/pipeline_stages", lookup(Lookup::PipelineStages))
        .add(
            "pipeline_stages_by_pipeline",
            "/pipeline_stages/pipeline/{pipeline_id}",
            get(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(lookups::stages_of(&s, &id))
            }),
        )
        .add(
            "activity_types_list",
            "/activity_types",
            get(|State(s): State<Sim>| async move { respond(lookups::activity_types(&s)) }),
        )
        .add(
            "tags_list",
            "/tags",
            get(|State(s): State<Sim>, Params(q): Params| async move { respond(lookups::tags(&s, &q)) }),
        )
        .add(
            "field_layouts_by_entity",
            "/field_layouts/by_entity/{entity_type}",
            get(
                |State(s): State<Sim>, Path(e): Path<String>, Params(q): Params| async move {
                    respond(lookups::field_layout(&s, &e, &q))
                },
            ),
        )
        .add(
            "custom_field_definitions_list",
            "/custom_field_definitions",
            get(|State(s): State<Sim>| async move { respond(custom::cfd_list(&s)) }),
        )
        .add(
            "custom_field_definitions_get",
            "/custom_field_definitions/{id}",
            get(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(custom::cfd_get(&s, &id))
            }),
        )
        .add(
            "custom_field_definitions_create",
            "/custom_field_definitions",
            post(|State(s): State<Sim>, body: Bytes| async move {
                respond(custom::cfd_create(&s, &body))
            }),
        )
        .add(
            "custom_field_definitions_update",
            "/custom_field_definitions/{id}",
            put(|State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                respond(custom::cfd_update(&s, &id, &body))
            }),
        )
        .add(
            "custom_field_definitions_delete",
            "/custom_field_definitions/{id}",
            delete(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(custom::cfd_delete(&s, &id))
            }),
        )
        .add(
            "custom_activity_types_list",
            "/custom_activity_types",
            get(|State(s): State<Sim>| async move { respond(custom::cat_list(&s)) }),
        )
        .add(
            "custom_activity_types_get",
            "/custom_activity_types/{id}",
            get(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(custom::cat_get(&s, &id))
            }),
        )
        .add(
            "custom_activity_types_create",
            "/custom_activity_types",
            post(|State(s): State<Sim>, body: Bytes| async move {
                respond(custom::cat_create(&s, &body))
            }),
        )
        .add(
            "custom_activity_types_update",
            "/custom_activity_types/{id}",
            put(|State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                respond(custom::cat_update(&s, &id, &body))
            }),
        )
        .add(
            "related_links_list",
            "/related_links",
            get(|State(s): State<Sim>, Params(q): Params| async move {
                respond(related::links_list(&s, &q))
            }),
        )
        .add(
            "related_links_create",
            "/related_links",
            post(|State(s): State<Sim>, body: Bytes| async move {
                respond(related::links_create(&s, &body))
            }),
        )
        .add(
            "related_links_delete",
            "/related_links/{id}",
            delete(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(related::links_delete(&s, &id))
            }),
        )
        .add(
            "webhooks_create",
            "/webhooks",
            post(|State(s): State<Sim>, body: Bytes| async move {
                respond(webhooks::create(&s, &body))
            }),
        )
        .add(
            "webhooks_list",
            "/webhooks",
            get(|State(s): State<Sim>| async move { respond(webhooks::list(&s)) }),
        )
        .add(
            "webhooks_get",
            "/webhooks/{id}",
            get(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(webhooks::get(&s, &id))
            }),
        )
        .add(
            "webhooks_update",
            "/webhooks/{id}",
            put(|State(s): State<Sim>, Path(id): Path<String>, body: Bytes| async move {
                respond(webhooks::update(&s, &id, &body))
            }),
        )
        .add(
            "webhooks_delete",
            "/webhooks/{id}",
            delete(|State(s): State<Sim>, Path(id): Path<String>| async move {
                respond(webhooks::delete(&s, &id))
            }),
        );
    for kind in Kind::ALL {
        t = core_routes(t, kind);
    }
    t
}
