import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadDictionary, type Locale } from "./i18n";

// The page's dictionary first (Swedish is built in; another language is its own
// chunk), so that hydration renders the same words as the server did.
const locale: Locale = document.documentElement.lang === "en" ? "en" : "sv";
loadDictionary(locale)
  .catch((error) => console.warn("dictionary failed to load", locale, error))
  .finally(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <RemixBrowser />
        </StrictMode>,
      );
    });
  });
