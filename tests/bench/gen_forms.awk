# gen_forms.awk: N generated 项目支出绩效自评表 as text, as published, for
# the import benchmark.  Varied on purpose: three layouts (district-2024 with
# its 性质/度量单位 columns, district-2023 tab-separated, beijing-2021
# space-separated with group weights), 4 to 9 indicator rows, varying
# leading empty cells, <p> paragraphs, qualitative and quantitative targets,
# money with up to 6 decimals, long goal texts.  Every (unit, year,
# project) is unique, so every form imports.
#   awk -v n=10000 -v seed=42 -f gen_forms.awk > forms.txt
# first (default 1) numbers the forms from there, so files made with
# different first and seed hold different projects (scale.sh's chunks).
function pick(a, k) { return a[int(rand() * k) + 1] }
function money() { return sprintf("%.*f", int(rand() * 7), rand() * 900 + 1) }
function tabs(k,   s) { s = ""; while (k-- > 0) s = s "\t"; return s }
function sentence(k,   s, i) {
	s = ""
	for (i = 0; i < k; i++)
		s = s pick(verb, nv) pick(obj, no) "，" pick(goal, ng) "。"
	return s
}
BEGIN {
	if (n == "") n = 1000
	if (seed == "") seed = 1
	srand(seed)
	nu = split("北京市朝阳区数据局 北京市丰台区大数据管理中心 北京市海淀区科学技术和信息化局 北京市东城区财政局 北京市西城区教育委员会 北京市通州区卫生健康委员会 北京市顺义区交通局 北京市昌平区生态环境局 北京市大兴区城市管理委员会 北京市房山区民政局 北京市门头沟区文化和旅游局 北京市怀柔区水务局", unit, " ")
	nd = split("北京市朝阳区人民政府 北京市丰台区科学技术和信息化局 北京市海淀区人民政府 北京市财政局 北京市教育委员会", dept, " ")
	nv = split("保障 提升 完善 建设 维护 优化 升级 推进 加强 落实", verb, " ")
	no = split("政务外网 机房设备 办公系统 数据平台 视频会议系统 网络安全设施 终端设备 门户网站 应急指挥系统 档案管理系统 公共服务平台", obj, " ")
	ng = split("确保系统稳定运行 提高工作效率 满足全区使用需求 按期完成建设任务 提升用户满意度 降低运行成本", goal, " ")
	nq = split("优良中低差 好坏 合格/不合格 达到良以上 是", qual, " ")
	nm = split("次 台 个 项 份 小时 分钟 天 Mbps 万元 元 人/年 %", meas, " ")
	if (first == "") first = 1
	for (i = first; i < first + n; i++) {
		r = rand()
		layout = r < 0.45 ? 2024 : (r < 0.9 ? 2023 : 2021)
		year = layout == 2021 ? 2021 : layout
		u = pick(unit, nu)
		proj = year "年" pick(obj, no) pick(verb, nv) "项目（第" i "号）"
		budget = money(); spent = budget
		if (rand() < 0.3) spent = sprintf("%.2f", budget * (0.8 + rand() * 0.2))
		nind = 4 + int(rand() * 6)
		# weights: 10 for the budget, the rest split over the rows
		left = 90
		for (k = 1; k <= nind; k++) {
			w[k] = k == nind ? left : int(left / (nind - k + 1))
			left -= w[k]
		}
		if (layout == 2021) { emit2021(); continue }
		lead = int(rand() * 3)
		print ""
		print "项目支出绩效自评表"
		print ""
		print "(" year " 年度)"
		print ""
		print "项目名称" tabs(1 + lead) proj tabs(5)
		print "主管部门" tabs(1 + lead) pick(dept, nd) tabs(3) "实施单位" tabs(1 + lead) u tabs(2)
		if (layout == 2023)
			print "项目负责人" tabs(1 + lead) "张" pick(verb, nv) tabs(3) "联系电话" tabs(1 + lead) "010-" int(60000000 + rand() * 9999999) tabs(2)
		print "项目资金 (万元)" tabs(2) "年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"
		print tabs(1 + lead) "年度资金总额\t" budget "\t" budget "\t" spent "\t10\t" sprintf("%.2f%%", spent / budget * 100) "\t" sprintf("%.2f", spent / budget * 10)
		print tabs(1 + lead) "其中：当年财政拨款\t" budget "\t" budget "\t" spent "\t—\t" sprintf("%.2f%%", spent / budget * 100) "\t—"
		print tabs(1 + lead) "上年结转资金\t\t\t\t—\t\t—"
		print tabs(1 + lead) "其他资金\t\t\t\t—\t\t—"
		print "年度总体目标\t预期目标" tabs(3) "实际完成情况" tabs(3)
		gexp = sentence(1 + int(rand() * 4)); ach = sentence(1 + int(rand() * 3))
		if (rand() < 0.3) gexp = "<p>" gexp "</p> <p>" sentence(1) "</p>"
		print tabs(1 + lead) gexp tabs(3) ach tabs(3)
		if (layout == 2024)
			print "绩效指标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t年度指标值\t绩效度量单位\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
		else
			print "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
		total = 10
		for (k = 1; k <= nind; k++) {
			if (k == 1) { l1 = "产出指标"; l2 = "数量指标" }
			else if (k == 2) { l1 = ""; l2 = "质量指标" }
			else if (k == nind) { l1 = "满意度指标"; l2 = "服务对象满意度指标" }
			else if (k == nind - 1) { l1 = "效益指标"; l2 = "社会效益指标" }
			else if (k == 3) { l1 = "成本指标"; l2 = "经济成本指标" }
			else { l1 = ""; l2 = "" }
			name = "指标" k "：" pick(verb, nv) pick(obj, no)
			score = w[k]
			if (rand() < 0.2) score = w[k] - 1
			total += score
			q = rand() < 0.25
			pre = tabs(1 + (l1 == "" ? 1 : 0) + (l2 == "" ? 1 : 0))
			lab = (l1 == "" ? "" : l1 "\t") (l2 == "" ? "" : l2 "\t")
			if (layout == 2024) {
				if (q) { nat = "定性"; tgt = pick(qual, nq); um = "项"; act = "优（" pick(goal, ng) "）" }
				else { nat = rand() < 0.7 ? "≥" : "≤"; tgt = int(rand() * 1000) + 1; um = pick(meas, nm); act = tgt }
				print pre lab name "\t" nat "\t" tgt "\t" um "\t" act "\t" w[k] "\t" score "\t" (score < w[k] ? "未完全达到目标，将加强管理" : "")
			} else {
				if (q) { tgt = pick(qual, nq); act = "优" }
				else { v = int(rand() * 1000) + 1; m = pick(meas, nm); tgt = (rand() < 0.7 ? "≥" : "≤") v " " m; act = v " " m }
				print pre lab name "\t" tgt "\t" act "\t" w[k] "\t" score "\t"
			}
		}
		print "总分" tabs(5 + (layout == 2024 ? 2 : 0)) "100\t" total
		if (layout == 2024) {
			print ""
			print "填报注意事项："
			print "1. 得分一档最高不能超过该指标分值上限。"
		}
	}
}
# The municipal 2021 layout: cells separated by spaces, labels stacked.
function emit2021(   k, total, score) {
	print ""
	print "项目支出绩效自评表"
	print "（2021年度）"
	print ""
	print "项目名称 " proj
	print ""
	print "主管部门 " pick(dept, nd) " 实施单位 " u
	print ""
	print "项目负责人 李" pick(verb, nv) " 联系电话 6" int(1000000 + rand() * 8999999)
	print ""
	print "项目资金                    （万"
	print "元）"
	print ""
	print "年初预算数 全年预算数（A）"
	print "全年执行数"
	print ""
	print "（B）"
	print "分值 执行率 得分"
	print ""
	print "年度资金总额          " budget "          " budget "           " spent "  10 " sprintf("%.2f%%", spent / budget * 100) " " sprintf("%.2f", spent / budget * 10)
	print ""
	print "其中:当年财政拨款          " budget "          " budget "           " spent "  10 " sprintf("%.2f%%", spent / budget * 100) " " sprintf("%.2f", spent / budget * 10)
	print ""
	print "     上年结转资金                    -                   -             -       0"
	print ""
	print "年"; print "度"; print "总"; print "体"; print "目"; print "标"
	print ""
	print "预期目标  实际完成情况  "
	print ""
	print "    " sentence(2)
	print sentence(1)
	print ""
	print "  " sentence(2)
	print ""
	print "绩"; print "效"; print "指"; print "标"
	print ""
	print "一级指标 二级指标 三级指标 年度指标值（A）"
	print "实际完成值"
	print ""
	print "（B）"
	print "分值 得分"
	print ""
	print "偏差原因分析及"
	print "改进措施"
	print ""
	print "产"; print "出"; print "指"; print "标"
	print ""
	print "(" (90 - w[nind]) "分)"
	print ""
	print "数量指标"
	print ""
	total = 10
	for (k = 1; k < nind; k++) {
		score = w[k]
		total += score
		print pick(verb, nv) pick(obj, no) "次数" k " " (k + 3) " " (k + 3) " " w[k] " " sprintf("%.2f", score) " "
		print ""
	}
	print "满意度指"
	print "标"
	print ""
	print "（" w[nind] "分）"
	print ""
	print "服务对象"
	print "满意度指标"
	print "委员满意度 ≥90% 95% " w[nind] " " sprintf("%.2f", w[nind]) " "
	total += w[nind]
	print ""
	print "总分： 100 " sprintf("%.2f", total) "  "
	print "填报注意事项 ：1.得分一档最高不能超过该指标分值上限 。"
}
