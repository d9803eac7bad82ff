// The answer of this page's last form submission, kept until the person submits
// again or leaves the page. Remix clears `useActionData()` on every revalidation that
// follows a submission (React Router's completeNavigation), so a live update arriving
// just after someone saves — often caused by their own save — wiped the confirmation
// ("Uppföljningen är sparad.") or the error summary they were about to read.
import { useActionData, useLocation, useNavigation } from "@remix-run/react";
import { useRef } from "react";

export function useActionResult<T>(): ReturnType<typeof useActionData<T>> {
  const data = useActionData<T>();
  const { key } = useLocation();
  const submitting = useNavigation().state === "submitting";
  const kept = useRef<{ data: ReturnType<typeof useActionData<T>>; key: string }>();
  // Derived during render (idempotent): new data replaces the kept answer; a new
  // submission or another page (a new location key) drops it; a revalidation keeps it.
  if (data !== undefined) kept.current = { data, key };
  else if (submitting || kept.current?.key !== key) kept.current = undefined;
  return kept.current?.data;
}
