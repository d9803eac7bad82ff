// File names of meeting documents (issue #15): cleaned at upload, and sent back in a
// Content-Disposition header that no name can break out of.
import { describe, expect, it } from "vitest";
import { cleanFileName, contentDisposition } from "../../server/domain/attachments";

describe("attachment names", () => {
  it("keeps the last part of a path, drops control characters and characters Windows refuses, collapses spaces", () => {
    expect(cleanFileName("C:\\Users\\karin\\Budget 2027.xlsx")).toBe("Budget 2027.xlsx");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName('Årsrapport "slutlig"\r\n.pdf')).toBe("Årsrapport slutlig.pdf");
    expect(cleanFileName("  ..hidden  ")).toBe("hidden");
    expect(cleanFileName("\u0000\u001f")).toBeNull();
    const long = `${"a".repeat(300)}.docx`;
    expect(cleanFileName(long)).toHaveLength(200);
    expect(cleanFileName(long)!.endsWith(".docx")).toBe(true);
  });
  it("Content-Disposition: attachment, an ASCII fallback and the exact UTF-8 name (RFC 6266)", () => {
    expect(contentDisposition("Protokoll.pdf")).toBe(`attachment; filename="Protokoll.pdf"; filename*=UTF-8''Protokoll.pdf`);
    expect(contentDisposition('Möte "1"; del\\2 100%.pdf')).toBe(
      `attachment; filename="M_te _1_; del_2 100_.pdf"; filename*=UTF-8''M%C3%B6te%20%221%22%3B%20del%5C2%20100%25.pdf`,
    );
  });
});
