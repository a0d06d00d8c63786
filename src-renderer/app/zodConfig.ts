// Imported first by main.tsx. Zod compiles fast object parsers with `new Function`, which the strict
// CSP (no 'unsafe-eval') forbids: every probe logs a CSP violation. jitless keeps zod on its plain
// path. It must run before any schema is built — zod reads the flag when a schema is constructed, and
// ES imports are evaluated before the importing module's body — hence a module of its own.
import { z } from 'zod';

z.config({ jitless: true });
