/*
 * bench_rules: one rules_run over a 20-indicator form, N times (argv[1],
 * default 1), for callgrind (tests/bench/rules.sh).  The form mixes the
 * rows of the three sample layouts: figures with units and conversions,
 * reverse and exact targets, grades, dates, periods, figures inside text,
 * a late row and an over-target row, so every path of a real run is taken.
 * The check is made once and reused, as the screen does on each keystroke.
 * With "edit" (argv[2]), one cell changes before every run after the first,
 * as when someone types: runs 8j+1 .. 8j+8 edit row 7j mod 20, one cell
 * each: actual, score, target, weight, deviation, 一级, 二级, name, taking
 * the last character off the text or putting it back (typing "x" into an
 * empty cell).  Over 160 runs every row has each of those cells edited.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "../unit/formspec.h"

static const char *const header[] = {
	"year=2024", "project=朝阳区互联网接入服务", "department=北京市朝阳区数据局",
	"unit=北京市朝阳区数据局", "layout=district-2024",
	"funds.total.initial=0", "funds.total.budget=738.62892", "funds.total.spent=738.62892",
	"funds.total.weight=10", "funds.total.rate=100%", "funds.total.score=10",
	"funds.appropriation.initial=0", "funds.appropriation.budget=738.62892",
	"funds.appropriation.spent=738.62892", "funds.appropriation.weight=—",
	"funds.carryover.weight=—", "funds.other.weight=—",
	"goals.expected=朝阳区党政机关、事业单位等部门提供互联网访问服务。",
	"goals.achieved=本年度互联网接入稳定，网络带宽均满足用户使用。",
	"total.weight=100", "total.score=95.56", NULL,
};

static const char *const rows[20] = {
	"产出指标|数量指标|总带宽数量|≥|6000|Mbps|6000|4.5|4.5|",
	"|质量指标|区级互联网专线整体全年可用率|≥|99.9|%|99.9|4.5|4.5|",
	"|时效指标|故障到达现场时间|≤|4|时|4|4.5|4.5|",
	"|数量指标|维护人员数量|≥|24|人/年|24|4.5|4.5|",
	"|质量指标|完成合同约定的服务内容且验收合格|定性|优良中低差|其他|优（完成合同约定的服务内容且验收合格）|4.5|4.5|",
	"|时效指标|计算机桌面故障修复响应时间|≤|2|小时|3|4.5|3|响应慢",
	"|数量指标|指标1：项目报告|=|1|份|提交项目报告1份|4.5|4.5|",
	"|质量指标|指标1：通过专家验收|定性|优良|项|已通过专家验收，验收结果为优|4.5|4.5|",
	"|时效指标|合同签订时间|~|2021年6月前|~|2021年12月|4.5|2.25|签约晚",
	"|时效指标|系统使用服务周期|~|每天|~|每天|4.5|4.5|",
	"|数量指标|漏洞扫描次数|~|1|~|3|4.5|4.05|目标偏低",
	"|质量指标|系统运行故障率|~|≤5%|~|≤5%|4.5|4.5|",
	"成本指标|经济成本指标|24年支出金额|≤|7578290|元|7578289.2|4.5|4.5|",
	"|经济成本指标|指标1：支出金额|≤|288|万元|支出金额为288万元|4.5|4.5|",
	"|经济成本指标|服务成本|~|≤ 84.4 万元|~|844000 元|4.5|4.5|",
	"效益指标|社会效益指标|保障区内各政务接入统一互联网访问业务|定性|优良中低差|项|优（有效保障了区内各政务接入统一互联网访问业务的正常运行）|4.5|4.5|",
	"|可持续影响指标|核心机房设备安全运行|~|达到良以上|~|优|4.5|4.5|",
	"|生态效益指标|保障全区政务网各项办公和业务系统的正常运转。|定性|好坏|其他|好（完成全区政务网各项办公和业务系统的正常运转）|4.5|4.5|",
	"满意度指标|服务对象满意度指标|用户满意度|≥|90|%|100|4.5|4.5|",
	"|服务对象满意度指标|服务满意度|~|≥95%|~|90%|4.5|4.26|满意度未达标",
};

/* The k-th edit of the form (k >= 1), undone by the edit that comes back
 * to the same cell. */
static void edit(struct form *f, const struct form *orig, int k)
{
	static const enum ind_field cells[8] = { IND_ACTUAL, IND_SCORE, IND_TARGET, IND_WEIGHT,
						 IND_DEVIATION, IND_LEVEL1, IND_LEVEL2, IND_NAME };
	size_t row = (size_t)((k - 1) / 8 * 7) % 20;
	enum ind_field cell = cells[(k - 1) % 8];
	const char *was = orig->ind[row].v[cell];
	char **slot = &f->ind[row].v[cell];
	char buf[512];
	if (*slot && was && strcmp(*slot, was) != 0) {
		set_str(slot, was);			/* typed back */
	} else if (*slot && **slot) {
		snprintf(buf, sizeof buf, "%s", *slot);	/* backspace */
		size_t n = strlen(buf);
		while (n > 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		buf[n - 1] = '\0';
		set_str(slot, buf);
	} else if (*slot) {
		set_str(slot, "x");
	} else {
		set_str(slot, was ? was : "x");
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	bool edits = argc > 2 && strcmp(argv[2], "edit") == 0;
	struct form *f = fs_form(header);
	for (int i = 0; i < 20; i++)
		fs_row(f, rows[i]);
	struct form *orig = form_copy(f);
	struct check *c = check_new(f->n_ind);
	const struct ruleset *rs = ruleset_default();
	for (int i = 0; i < n; i++) {
		if (edits && i > 0)
			edit(f, orig, i);
		if (rules_run(f, rs, c) != 0)
			return 1;
	}
	printf("%zu findings (%d errors, %d warnings, %d notes), total %s, suggested %s\n",
	       c->n_findings, c->errors, c->warnings, c->notes, c->total_score, c->suggested_total);
	for (size_t i = 0; i < c->n_findings; i++)
		if (c->findings[i].severity != SEV_NOTE)
			printf("  %s %s %s\n", c->findings[i].code, c->findings[i].field, c->findings[i].message);
	check_free(c);
	form_free(orig);
	form_free(f);
	return 0;
}
