ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('central_committee', 'province_committee', 'bloc_committee',
                    'grassroots_committee', 'grassroots_cell', 'attached_cell',
                    'mass_organization'));
