-- Who may see a packet is decided from its sent event (the API's audience cache), never from this
-- table; a 20,000-member campaign packet wrote 20,000 rows here that nothing read.
DROP TABLE red_packet_member;
