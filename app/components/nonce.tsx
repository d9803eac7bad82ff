import { createContext, useContext } from "react";

/** The per-request CSP nonce (empty in the browser, where it is not needed after hydration). */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
