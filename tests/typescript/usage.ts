// What a TypeScript client of the Copper API writes against the declarations that openapi-typescript
// generates from spec/copper.yaml. `tsc --noEmit` must accept every line of this file: the doc examples in
// tests/fixtures/ must fit the generated types, the helpers must compile, and every `@ts-expect-error` line
// must really be an error (tsc fails on an unused one), which proves a wrong shape is rejected.
//
// generated/copper.d.ts is produced by `npm run generate` (run by .ci/spec-artifact.sh) and is not committed.
// It is generated with `--default-non-nullable false`: a property with a default (page_number, page_size) is
// optional in a request body, as the spec says, instead of required.

import type { components, operations, paths } from "./generated/copper";

import activityTypesListResponse from "../fixtures/activity_types_list.response.json";
import leadsBulkCreateResponse from "../fixtures/leads_bulk_create.response.create_new_person.json";
import leadsBulkCreateFailure from "../fixtures/leads_bulk_create.response_item.failure.json";
import leadsGetResponse from "../fixtures/leads_get.response.json";
import peopleGetResponse from "../fixtures/people_get.response.json";
import peopleSearchGroupsOf200 from "../fixtures/people_search.request.groups_of_200.json";

type Schemas = components["schemas"];
type Method = "get" | "post" | "put" | "delete";

/** The JSON request body of `method path`. */
type JsonRequest<P extends keyof paths, M extends Method> =
  NonNullable<paths[P][M]> extends { requestBody?: { content: { "application/json": infer Body } } }
    ? Body
    : never;

/** The JSON body of the 200 answer of `method path`. */
type JsonResponse<P extends keyof paths, M extends Method> =
  NonNullable<paths[P][M]> extends { responses: { 200: { content: { "application/json": infer Body } } } }
    ? Body
    : never;

/** `true` only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// ---------------------------------------------------------------------------------------------------------
// People have an `emails` array; leads have one nullable `email` object.

type Person = Schemas["Person"];
type Lead = Schemas["Lead"];

export const personFromDocs: Person = peopleGetResponse;
export const leadFromDocs: Lead = leadsGetResponse;

export const personEmailsAreAnArray: Equal<Person["emails"], Schemas["EmailAddress"][]> = true;
export const leadEmailIsOneNullableObject: Equal<Lead["email"], Schemas["LeadEmail"]> = true;
export const leadEmailMayBeNull: Equal<Extract<Schemas["LeadEmail"], null>, null> = true;

/** Every address of a person, work addresses first. */
export function personAddresses(person: Person): string[] {
  const work = person.emails.filter((e) => e.category === "work");
  const other = person.emails.filter((e) => e.category !== "work");
  return [...work, ...other].map((e) => e.email);
}

/** A lead's one address, if it has one. */
export function leadAddress(lead: Lead): string | undefined {
  return lead.email?.email;
}

// @ts-expect-error a lead has one `email` object, not a person's `emails` array
export const leadWithEmailList: Lead["email"] = [{ email: "jim@example.com", category: "work" }];
// @ts-expect-error a person has an `emails` array, not a lead's single `email` object
export const personWithOneEmail: Person["emails"] = { email: "jim@example.com", category: "work" };
// @ts-expect-error Person has no `email` property: reading a lead's field from a person is caught
export const misreadPersonEmail = personFromDocs.email;

// ---------------------------------------------------------------------------------------------------------
// Searching people: POST /people/search with a JSON body; the answer is a bare array plus X-PW-TOTAL.

type PeopleSearch = JsonRequest<"/people/search", "post">;
type PeopleSearchAnswer = JsonResponse<"/people/search", "post">;

export const peopleSearchBodyIsPersonSearch: Equal<PeopleSearch, Schemas["PersonSearch"]> = true;
export const peopleSearchAnswersAnArray: Equal<PeopleSearchAnswer, Person[]> = true;
export const searchFromDocs: PeopleSearch = peopleSearchGroupsOf200;

/** The body that asks for one page of people tagged "vip" and emailed at example.com. */
export function vipPeopleAtExampleCom(pageNumber: number): PeopleSearch {
  return {
    page_number: pageNumber,
    page_size: 200,
    sort_by: "last_name",
    sort_direction: "asc",
    emails: ["example.com"],
    tags: { option: "ANY", value: ["vip"] },
    custom_fields: [{ custom_field_definition_id: 184997, value: [262644], option: "ANY" }],
  };
}

/** Paging defaults exist, so an empty body is a valid search. */
export const everyoneFirstPage: PeopleSearch = {};

export type TotalHeader = operations["people_search"]["responses"][200]["headers"]["X-PW-TOTAL"];
export const totalIsANumber: Equal<TotalHeader, number> = true;

// @ts-expect-error page_size is a number, not a string
export const pageSizeAsString: PeopleSearch = { page_size: "200" };
// @ts-expect-error sort_direction is the closed enum asc | desc
export const sortUpwards: PeopleSearch = { sort_direction: "up" };

// ---------------------------------------------------------------------------------------------------------
// Bulk create: one outcome per item, in request order, each the created lead or a per-item failure.

type LeadBulkResult = JsonResponse<"/leads/bulk_create", "post">;
type LeadBulkOutcome = Schemas["LeadBulkOutcome"];

export const bulkOutcomeIsLeadOrFailure: Equal<LeadBulkOutcome, Lead | Schemas["BulkItemFailure"]> = true;
export const bulkResultFromDocs: LeadBulkResult = [...leadsBulkCreateResponse, leadsBulkCreateFailure];

export interface BulkReport {
  created: Lead[];
  failed: { index: number; problems: string[] }[];
}

/** Splits a bulk answer into created leads and failures with their field errors. */
export function reportBulk(result: LeadBulkResult): BulkReport {
  const report: BulkReport = { created: [], failed: [] };
  result.forEach((outcome, index) => {
    if ("success" in outcome) {
      const problems = Object.entries(outcome.message).flatMap(([field, errors]) =>
        errors.map((e) => `${field}: ${e.error}`),
      );
      report.failed.push({ index, problems });
    } else {
      report.created.push(outcome);
    }
  });
  return report;
}

export const bulkCreateBody: JsonRequest<"/leads/bulk_create", "post"> = {
  leads: [{ name: "Lead One", email: { email: "one@example.com", category: "work" } }, { name: "" }],
};

// @ts-expect-error the bulk body wraps its records in `leads`; a bare array is rejected
export const bareBulkBody: JsonRequest<"/leads/bulk_create", "post"> = [{ name: "Lead One" }];

// ---------------------------------------------------------------------------------------------------------
// GET /activity_types answers an object {user: [...], system: [...]}, not an array.

type ActivityTypes = JsonResponse<"/activity_types", "get">;

export const activityTypesFromDocs: ActivityTypes = activityTypesListResponse;
export const activityTypesByCategory: Equal<keyof ActivityTypes, "user" | "system"> = true;

/** Names of the enabled activity types that count as an interaction. */
export function interactionTypeNames(types: ActivityTypes): string[] {
  return [...types.user, ...types.system]
    .filter((t) => !t.is_disabled && t.count_as_interaction)
    .map((t) => t.name);
}

// @ts-expect-error the answer is an object of two lists, not one list of activity types
export const activityTypesAsList: ActivityTypes = activityTypesListResponse.user;

// ---------------------------------------------------------------------------------------------------------
// Custom field values: the JSON type of `value` depends on the definition's data_type, so it is `unknown`
// and a client must narrow it.

type CustomField = Schemas["CustomField"];

/** The option ids of a Dropdown (one id) or MultiSelect (a list of ids) value; none when empty. */
export function selectedOptionIds(field: CustomField): number[] {
  const value = field.value;
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === "number");
  return [];
}

/** The labels Copper computed with `custom_field_computed_values=true`, when present. */
export function computedLabels(field: CustomField): string[] {
  const computed = field.computed_value;
  if (typeof computed === "string") return [computed];
  if (Array.isArray(computed)) return computed.filter((v): v is string => typeof v === "string");
  return [];
}

export const setMultiSelect: Schemas["CustomFieldInput"] = { custom_field_definition_id: 184997, value: [262644, 262645] };
export const clearField: Schemas["CustomFieldInput"] = { custom_field_definition_id: 184997, value: null };

export function valueAsText(field: CustomField): string {
  // @ts-expect-error `value` is unknown until narrowed; it is not assumed to be a string
  const text: string = field.value;
  return text;
}

// @ts-expect-error custom_field_definition_id is required to write a value
export const valueWithoutDefinition: Schemas["CustomFieldInput"] = { value: "Gold" };
