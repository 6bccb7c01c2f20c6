/** Maps API keys to tenants (merchant ids). */
export class ApiKeys {
  private readonly tenants: ReadonlyMap<string, string>;

  constructor(entries: Iterable<[key: string, tenant: string]>) {
    this.tenants = new Map(entries);
  }

  /** Parses `key=tenant,key2=tenant2`. */
  static parse(spec: string): ApiKeys {
    const entries = spec
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair): [string, string] => {
        const at = pair.indexOf('=');
        const [key, tenant] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        if (at <= 0 || !key || !tenant)
          throw new Error(`API_KEYS entry "${pair}" is not key=tenant`);
        return [key, tenant];
      });
    if (entries.length === 0) throw new Error('API_KEYS holds no key=tenant entry');
    return new ApiKeys(entries);
  }

  tenantOf(key: string): string | undefined {
    return this.tenants.get(key);
  }
}
