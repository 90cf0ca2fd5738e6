-- Since 2025 a province's blocs gave way to "Đảng ủy các cơ quan Đảng tỉnh" and "Đảng ủy
-- UBND tỉnh", and its districts to the communes' and wards' committees (domain::UnitKind).
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('central_committee', 'province_committee', 'bloc_committee',
                    'province_agencies_committee', 'province_government_committee',
                    'commune_committee', 'grassroots_committee', 'grassroots_cell',
                    'attached_cell', 'mass_organization'));
