-- 链长制: a chain leader (链长) is an official with a name and a post (职务); the name may stay unknown.
ALTER TABLE industry_chains ADD COLUMN leader_post text CHECK (leader_post IS NULL OR length(btrim(leader_post)) BETWEEN 1 AND 60);
