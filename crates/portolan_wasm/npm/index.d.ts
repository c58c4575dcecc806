// Types of the JSON documents of interfaces.md §4, as the Rust core emits them.

export interface File { name: string; text: string }

export interface Profile {
  serviceCIDR?: string;
  podCIDR?: string;
  nodePortRange?: string;
  clusterDomain?: string;
  proxyMode?: 'iptables' | 'nftables';
  ipFamilies?: Array<'IPv4' | 'IPv6'>;
  namespace?: string;
  nodes?: Array<{ name: string; ip?: string; zone?: string }>;
}

export interface Options { profile?: Profile }

export type Severity = 'error' | 'warning' | 'info';
export type ErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'InternalError';

export interface Location { file: string; line: number; column: number; endLine: number; endColumn: number }

export interface ObjectRef { apiVersion: string; kind: string; namespace: string; name: string }

export interface Diagnostic extends Location {
  code: string;
  severity: Severity;
  message: string;
  object: ObjectRef | null;
  field?: string;
  errorType?: ErrorType;
  help?: string;
  related?: Array<Location & { message: string }>;
}

export interface CheckResult {
  version: 1;
  summary: {
    files: number; documents: number; objects: number;
    errors: number; warnings: number; infos: number;
    kinds: Record<string, number>; unknownKinds: number;
  };
  diagnostics: Diagnostic[];
}

export interface Endpoint {
  pod: string | null; ip: string; port: number | null; portName: string | null;
  node: string | null; ready: boolean; serving: boolean; terminating: boolean; synthetic: boolean;
}

export interface ServicePort { name: string; protocol: 'TCP' | 'UDP' | 'SCTP' | string; port: number; targetPort: number | string; nodePort: number | null }

export interface Service {
  namespace: string; name: string; type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;
  clusterIPs: string[]; headless: boolean; externalName: string | null; ports: ServicePort[];
  selector: Record<string, string> | null; endpoints: Endpoint[]; externalIPs: string[];
  loadBalancerIPs: Array<{ ip: string; ipMode: string; synthetic: boolean }>;
  externalTrafficPolicy: string | null; internalTrafficPolicy: string | null;
  sessionAffinity: string; publishNotReadyAddresses: boolean; synthetic: boolean;
}

export interface GraphResult {
  version: 1;
  nodes: Array<{ name: string; ip: string; zone: string | null; synthetic: boolean }>;
  pods: Array<{ namespace: string; name: string; labels: Record<string, string>; ips: string[]; node: string | null; phase: string; ready: boolean; terminating: boolean; hostname: string | null; subdomain: string | null; owner: string | null; synthetic: boolean }>;
  services: Service[];
  graphNodes: Array<{ id: string; kind: string; label: string; namespace: string | null; synthetic: boolean }>;
  edges: Array<{ from: string; to: string; label: string; protocol: string | null; port: number | null; targetPort: number | string | null; containerPort: number | null; ready: boolean | null }>;
}

export interface Rule { code: string; name: string; severity: Severity; summary: string; docs: string; origin: 'kubernetes' | 'lint' }

export function check(files: File[], options?: Options): CheckResult;
export function graph(files: File[], options?: Options): GraphResult;
export function rules(): Rule[];
export function version(): string;
