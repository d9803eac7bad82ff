/** Keys are ours (ids and slashes), never a person's file name: no `..`, no odd characters. */
export function checkKey(key: string): string {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(key) || key.length > 200) throw new Error(`FileStore: bad key ${JSON.stringify(key)}`);
  return key;
}
