/**
 * The embedded local backend, the default: no account, no network. Each
 * session is a long-lived bubblewrap sandbox on this machine with a resident
 * helper inside, so background processes, `/tmp` and the workspace persist
 * between the calls of a session and a call costs about as much as starting
 * the process it runs.
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
import { Backend } from "./Backend.js"
import * as internal from "./internal/local/backend.js"

/**
 * Options of the local backend. Defaults:
 *
 * | option | default |
 * |---|---|
 * | `maxSessions` | 32 live sessions per process |
 * | `idleTimeoutMs` | 900000 (15 min without a call: the session is deleted) |
 * | `maxLifetimeMs` | 7200000 (2 h after creation: the session is deleted) |
 * | `startTimeoutMs` | 15000 |
 * | `diskBytes` | 536870912 (512 MiB for each of `/home/user` and `/tmp`) |
 * | `outputBytes` | 1048576 (1 MiB kept of each of stdout and stderr) |
 * | `cpuSeconds` | none (per process CPU time, `ulimit -t`) |
 * | `fileSizeBytes` | none (largest file a process may write, `ulimit -f`) |
 * | `openFiles` | 1024 (`ulimit -n`) |
 * | `pythonPath` | `/usr/local/bin/python3` or `/usr/bin/python3` if under `/usr`, else none |
 *
 * `dangerouslyRunWithoutSandbox: true` runs sessions directly on the host,
 * without any isolation (a private directory under the OS temp dir is all
 * they get). Only for machines where bubblewrap cannot run and the code is
 * trusted; without it, a missing or broken bubblewrap fails with
 * `SandboxUnavailableError` and its fix.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends internal.LocalOptions {}

/**
 * The defaults of {@link Options}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = internal.LOCAL_DEFAULTS

/**
 * The images the local backend runs.
 *
 * @since 0.1.0
 * @category constants
 */
export const images = internal.LOCAL_IMAGES

/**
 * Makes the backend service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Backend["Type"] = internal.makeLocalBackend

/**
 * The local backend as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Backend> => Layer.sync(Backend, () => make(options))
