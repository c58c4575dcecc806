// The JavaScript API. The document types (CheckJson, GraphJson, Trace,
// DnsAnswer, Rule, Profile, …) are generated from the Rust core's types into
// types.d.ts by `cargo xtask npm`.
import type { CheckJson, DiffJson, DnsAnswer, GraphJson, Profile, Reach, Rule, Trace } from './types.js';

export * from './types.js';

/** One manifest file: a name for diagnostics and its text (YAML or JSON). */
export interface File { name: string; text: string }

/** The cluster the manifests are checked against (interfaces.md §3); every key optional. */
export type ProfileInput = Partial<Omit<Profile, 'nodes'>> & { nodes?: Profile['nodes'] };

export interface Options { profile?: ProfileInput }

/** `portolan trace` flags: `from` is `pod:NS/NAME`, `node:NAME` or `external:IP`; `to` is `HOST:PORT`,
 * or a URL (`http://HOST[:PORT]/PATH`, `https://…`, `grpc://HOST/SERVICE/METHOD`) traced through an
 * Ingress or a Gateway API Gateway, with `method`, `headers` and `via` (interfaces.md §6.3). */
export interface TraceRequest {
  from: string;
  to: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  atNode?: string;
  proxyMode?: 'iptables' | 'nftables';
  /** HTTP method (default GET). */
  method?: string;
  /** Request headers: `{name: value}` or `[[name, value], ...]`. */
  headers?: Record<string, string> | [string, string][];
  /** `gateway:NS/NAME` or `ingressclass:NAME`, when several entry points could serve the URL. */
  via?: string;
}

/** `portolan reach` flags: `from` is `pod:NS/NAME`, `workload:NS/KIND/NAME`,
 * `namespace:NS` or `external:IP`; `to` is `service:NS/NAME[:PORT]`,
 * `pod:NS/NAME[:PORT]` or `workload:NS/KIND/NAME`. Both optional: every pod. */
export interface ReachRequest { from?: string; to?: string }

export interface DnsQuery { name: string; type?: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR' }

/** Validate and lint; throws an Error on unusable options (never a wasm trap). */
export function check(files: File[], options?: Options): CheckJson;
/** The routing graph with the endpoints Kubernetes would publish. */
export function graph(files: File[], options?: Options): GraphJson;
/** Simulate one packet hop by hop; throws on an unknown pod or an unparsable address. */
export function trace(files: File[], request: TraceRequest, options?: Options): Trace;
/** What cluster DNS answers a pod in the profile's namespace. */
export function dns(files: File[], query: DnsQuery, options?: Options): DnsAnswer;
/** Every (source pod, destination pod, port) and its NetworkPolicy verdict, directly and through Services. */
export function reach(files: File[], request?: ReachRequest, options?: Options): Reach;
/** What `head` changes in routing against `base` (interfaces.md §6.4): Services, ports, endpoints, exposure, findings. */
export function diff(base: File[], head: File[], options?: Options): DiffJson;
/** Every check with its documentation. */
export function rules(): Rule[];
export function version(): string;

/** Former names of the document types. */
export type CheckResult = CheckJson;
export type GraphResult = GraphJson;
