// Every dictionary, registered synchronously for server-side rendering, e-mails
// and notifications. Imported once by each server entry (app/entry.server.tsx for
// the Remix build, server/index.ts for the Node server, which loads its own copy
// of app/i18n). The browser loads only the page's language (app/i18n/index.ts).
import { en } from "./en";
import { registerDictionary } from "./index";

registerDictionary("en", en);
