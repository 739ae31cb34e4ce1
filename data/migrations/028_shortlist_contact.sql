-- A shortlist's contact, as its author chose to publish it on the public page (name and phone; both optional).
ALTER TABLE shortlists
  ADD COLUMN contact_name text CHECK (contact_name IS NULL OR length(contact_name) BETWEEN 1 AND 80),
  ADD COLUMN contact_phone text CHECK (contact_phone IS NULL OR contact_phone ~ '^\+?[0-9][0-9 ()-]{5,30}$');
