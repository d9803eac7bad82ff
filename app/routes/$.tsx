import { notFound } from "~/utils/auth.server";

// Any unknown path: a real 404 rendered by the root error boundary.
export async function loader() {
  throw notFound();
}

export async function action() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
