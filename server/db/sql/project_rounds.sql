-- The 三个一批 rounds a project was listed in, and in which batch.
SELECT r.id, r.name, r.held_on, e.batch
FROM project_round_entries e
JOIN project_rounds r ON r.id = e.round_id
WHERE e.project_id = $1
ORDER BY r.held_on;
