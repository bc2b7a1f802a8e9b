"""Jiangxi's contracted vendors (承训机构, 附件1 of 赣师训字〔2022〕1号), each its own platform and export source.

The vendors differ as real ones do: one speaks the city dialect (UTF-8 CSV), four the vendor
dialect (three as workbooks with a title row, one as GB18030 CSV); some write a city in its long
form (吉安市), others in its short form (吉安); two name the program in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import JX_PROGRAM, JX_PROGRAM_LONG


@dataclass(frozen=True)
class Vendor:
    source: str
    institution: str  # full name, as the bureau's 承训机构 file writes it
    short: str
    cities: tuple[str, ...]  # long names (jiangxi_regions.CITIES), as 附件1 lists them
    dialect: str  # city | vendor
    container: str  # csv | xlsx (a vendor table above XLSX_MAX_ROWS rows is CSV anyway)
    long_city_names: bool  # the 设区市 / 所属地市 cell says 吉安市 (True) or 吉安 (False)
    program: str  # 培训项目 / 项目名称 as exported
    prefix: str  # of the platform's IDs


VENDORS: tuple[Vendor, ...] = (
    Vendor("jx_jiaopei", "北京教培师训网络科技股份有限公司", "北京教培师训", ("赣州市",),
           "vendor", "xlsx", True, JX_PROGRAM, "JP"),
    Vendor("jx_hep", "高等教育出版社", "高等教育出版社", ("九江市", "南昌市"),
           "vendor", "xlsx", False, JX_PROGRAM_LONG, "GJ"),
    Vendor("jx_srt", "北京尚睿通教育科技股份有限公司", "尚睿通", ("上饶市", "鹰潭市", "新余市"),
           "vendor", "csv", True, JX_PROGRAM, "SR"),
    Vendor("jx_jjw", "北京继教网教育科技发展有限公司", "继教网", ("吉安市", "抚州市"),
           "vendor", "xlsx", True, JX_PROGRAM_LONG, "JJ"),
    Vendor("jx_aopeng", "北京奥鹏远程教育中心有限公司", "奥鹏", ("宜春市", "萍乡市", "景德镇市"),
           "city", "csv", False, JX_PROGRAM, "AP"),
)
# The notice addresses 赣江新区 but gives it no vendor: its few trainees study on this vendor's platform
# (it serves 南昌 and 九江, across which the new area lies).
NEW_AREA_VENDOR = "jx_hep"
