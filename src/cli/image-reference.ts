/**
 * The registry part of a container image reference, as the kubelet hands it over
 * (`host/repo:tag`, `host/repo@sha256:…`, `host:port/repo`, `repo` for Docker Hub). Pure, no I/O.
 */

/** Where an image is pulled from. */
export interface ImageRegistry {
  /** The domain as the image writes it, port included (`host` or `host:port`). */
  readonly domain: string;
  /** The domain without its port, spelled as in the image: the kubelet matches `auth` keys against the image. */
  readonly host: string;
}

const MAX_IMAGE_LENGTH = 4096;

/**
 * The registry of `image`, after the rule of the docker reference grammar: the first
 * `/`-separated component is a registry domain when it contains `.` or `:`, is `localhost`, or
 * has an upper-case letter; otherwise the image is on Docker Hub.
 * @returns `undefined` for a Docker Hub image or anything that is not an image reference.
 */
export function registryOfImage(image: string): ImageRegistry | undefined {
  if (image.length === 0 || image.length > MAX_IMAGE_LENGTH || /[^\x21-\x7e]/.test(image)) return undefined;
  const slash = image.indexOf('/');
  if (slash <= 0) return undefined;
  const domain = image.slice(0, slash);
  if (!/[.:]/.test(domain) && domain !== 'localhost' && domain === domain.toLowerCase()) return undefined;
  // A domain never holds these; the repository (after the slash) may hold "@" (digest) and ":" (tag).
  if (/[@/\\?#%[\]]/.test(domain)) return undefined;
  const colon = domain.indexOf(':');
  const host = colon === -1 ? domain : domain.slice(0, colon);
  if (host === '' || image.length === slash + 1) return undefined;
  return { domain, host };
}
