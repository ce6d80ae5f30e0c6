/* The floor for bench/export.sh: libxlsxwriter alone, from C, in the same
 * constant-memory mode, writing 100,000 rows of 10 cells shaped like crm's
 * export (9 texts and a number). Usage: xlsx_floor OUT.xlsx */
#include <stdio.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    lxw_workbook_options options = {.constant_memory = 1, .tmpdir = NULL};
    lxw_workbook *workbook = workbook_new_opt(argv[1], &options);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, NULL);
    char code[16];
    for (int row = 0; row < 100000; row++) {
        snprintf(code, sizeof code, "CL%07d", row);
        worksheet_write_string(sheet, row, 0, code, NULL);
        worksheet_write_string(sheet, row, 1, "Agro Construct Servicii SRL", NULL);
        worksheet_write_string(sheet, row, 2, "RO14399840", NULL);
        worksheet_write_string(sheet, row, 3, "Cluj-Napoca", NULL);
        worksheet_write_string(sheet, row, 4, "Cluj", NULL);
        worksheet_write_string(sheet, row, 5, "+40264111222", NULL);
        worksheet_write_string(sheet, row, 6, "office@agro-construct.ro", NULL);
        worksheet_write_string(sheet, row, 7, "RO49AAAA1B31007593840000", NULL);
        worksheet_write_number(sheet, row, 8, row % 500, NULL);
        worksheet_write_string(sheet, row, 9, "2020-01-01", NULL);
    }
    return workbook_close(workbook) == LXW_NO_ERROR ? 0 : 1;
}
