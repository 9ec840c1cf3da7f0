/**
 * Values made once per (object, key) and kept as long as the object lives: a ramp step hands the
 * same collection object to its C runs, and what each engine derives from it (the fast engine's
 * prepared requests, newman's cut collection) is the same for all of them.
 */
export function objectCache<V>(maxKeysPerObject: number): (object: object, key: string, make: () => V) => V {
  const byObject = new WeakMap<object, Map<string, V>>();
  return (object, key, make) => {
    let byKey = byObject.get(object);
    if (!byKey) byObject.set(object, (byKey = new Map()));
    let value = byKey.get(key);
    if (value === undefined) {
      value = make();
      // Bounded: a caller that keeps making new keys for one object does not keep them all.
      if (byKey.size >= maxKeysPerObject) byKey.clear();
      byKey.set(key, value);
    }
    return value;
  };
}
