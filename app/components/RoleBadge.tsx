import type { Role } from "../../db/schema";
import { useT } from "~/i18n";

export function RoleBadge({ role }: { role: Role }) {
  const t = useT();
  return <span className={`badge badge--${role}`}>{t(`role.${role}`)}</span>;
}
