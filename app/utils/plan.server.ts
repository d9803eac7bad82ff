import type { AppLoadContext } from "@remix-run/node";
import { findPlan } from "../../server/domain/plans";
import { notFound } from "./auth.server";

/** The council's plan for the year in the URL, or a 404. */
export async function requirePlan(context: AppLoadContext, councilId: string, year: string | undefined) {
  if (!/^\d{4}$/.test(year ?? "")) throw notFound();
  const plan = await findPlan(context.db, councilId, Number(year));
  if (!plan) throw notFound();
  return plan;
}
