"""The demo city of Riverton in French: what seed_demo writes as each text's "fr"
translation (the English and Spanish texts are in demo_data.py)."""

DEPARTMENTS = {
    "public-works": "Travaux publics", "sanitation": "Propreté et recyclage",
    "transportation": "Transports et stationnement", "parks": "Parcs et loisirs",
    "animal-services": "Services animaliers", "code-enforcement": "Application des règlements",
    "water": "Eau et assainissement",
}

GROUPS = {
    "Streets and sidewalks": "Rues et trottoirs", "Lights and signals": "Éclairage et signalisation",
    "Clean and safe": "Propreté et sécurité", "Trash and recycling": "Ordures et recyclage", "Parking": "Stationnement",
    "Parks": "Parcs", "Trees": "Arbres", "Animals": "Animaux", "Property": "Propriétés", "Water": "Eau",
}

# code: (name, description)
SERVICES = {
    "pothole": ("Nid-de-poule", "Un trou ou une chaussée abîmée dans une rue ou une ruelle."),
    "sidewalk-repair": ("Trottoir abîmé", "Trottoir ou bordure fissuré, soulevé ou manquant."),
    "streetlight-out": ("Lampadaire éteint", "Un éclairage de rue ou de ruelle éteint, qui clignote ou reste allumé le jour."),
    "graffiti": ("Enlèvement de graffitis", "Des graffitis sur un bien public, ou sur un bien privé visible de la rue."),
    "street-sweeping": ("Balayage de rue", "Débris, feuilles ou verre qui demandent une balayeuse."),
    "snow-ice": ("Neige ou verglas dans la rue", "Une rue qui doit être déneigée ou salée."),
    "missed-trash": ("Collecte des ordures manquée", "Votre bac à ordures était sorti à temps mais n’a pas été vidé."),
    "missed-recycling": ("Collecte du recyclage manquée", "Votre bac de recyclage était sorti à temps mais n’a pas été vidé."),
    "bulk-pickup": ("Collecte des encombrants", "Planifier l’enlèvement de meubles, matelas ou appareils ménagers."),
    "damaged-cart": ("Bac abîmé ou volé", "Réparer ou remplacer un bac municipal à ordures ou à recyclage."),
    "illegal-dumping": ("Dépôt sauvage", "Déchets ou objets abandonnés dans une rue, une ruelle ou un terrain vague."),
    "dead-animal": ("Enlèvement d’un animal mort", "Un animal mort dans une rue ou sur un trottoir."),
    "traffic-signal": ("Problème de feu de circulation", "Un feu de circulation éteint, bloqué ou clignotant."),
    "sign-damaged": ("Panneau de signalisation abîmé", "Un panneau de rue ou de circulation manquant, tordu ou effacé."),
    "abandoned-vehicle": ("Véhicule abandonné", "Un véhicule garé au même endroit depuis plus de 72 heures."),
    "parking-violation": ("Stationnement interdit", "Un véhicule qui bloque une entrée, une borne d’incendie ou un passage piéton."),
    "bike-lane": ("Piste cyclable obstruée", "Quelque chose bloque une piste cyclable."),
    "park-maintenance": ("Entretien de parc", "Jeux, bancs ou clôtures cassés dans un parc."),
    "tree-down": ("Arbre ou branche tombé", "Un arbre ou une grosse branche tombé dans une rue, sur un trottoir ou dans un parc."),
    "tree-trim": ("Élagage d’arbre", "Un arbre de la ville qui cache un panneau, un éclairage ou un trottoir."),
    "park-restroom": ("Problème de toilettes de parc", "Des toilettes de parc sales, fermées ou en panne."),
    "stray-animal": ("Animal errant", "Un animal en liberté ou errant."),
    "barking-dog": ("Chien qui aboie", "Un chien qui aboie longtemps."),
    "animal-bite": ("Morsure d’animal", "Signaler une morsure de chien, de chat ou d’animal sauvage."),
    "overgrown-lot": ("Terrain envahi par les herbes", "Herbe ou mauvaises herbes de plus de 25 cm sur une propriété."),
    "noise": ("Plainte pour bruit", "Musique forte, fêtes ou travaux en dehors des heures permises."),
    "vacant-building": ("Bâtiment vacant ouvert", "Un bâtiment vacant laissé ouvert ou non sécurisé."),
    "water-leak": ("Fuite sur une conduite d’eau", "De l’eau qui coule de la rue, d’une borne d’incendie ou du sol."),
    "sewer-backup": ("Refoulement ou odeur d’égout", "Un égout qui refoule, ou une odeur d’égout dans la rue."),
    "storm-drain": ("Bouche d’égout pluvial bouchée", "Une bouche d’égout pluvial bouchée par des feuilles ou des déchets."),
    "hydrant": ("Borne d’incendie abîmée", "Une borne d’incendie qui fuit, ouverte ou renversée."),
}

# question code: (question, {value key: label})
QUESTIONS = {
    "size": ("Quelle taille fait-il ?", {"small": "Plus petit qu’une assiette", "medium": "Jusqu’à un pneu de voiture",
                                         "large": "Plus grand qu’un pneu de voiture"}),
    "hazard": ("Est-ce un danger pour les personnes en ce moment ?", {"no": "Non", "yes": "Oui"}),
    "noticed_at": ("Quand l’avez-vous remarqué ?", {}),
    "count": ("Combien ?", {}),
    "plate": ("Plaque d’immatriculation (si visible)", {}),
    "days": ("Quels jours cela arrive-t-il ?", {"weekday": "En semaine", "weekend": "Le week-end", "night": "La nuit"}),
    "animal": ("Quel genre d’animal ?", {"dog": "Chien", "cat": "Chat", "wildlife": "Animal sauvage", "other": "Autre"}),
    "details": ("Autre chose que l’équipe devrait savoir ?", {}),
}

DANGER_NOTICE = ("Si quelqu’un est blessé ou en danger en ce moment, appelez d’abord le 911. Signalez-le ensuite ici "
                 "pour qu’une équipe le répare.")
EMERGENCY_NOTICES = {
    "animal-bite": ("Si quelqu’un est gravement blessé, appelez le 911 maintenant. Si la morsure a percé la peau, "
                    "lavez-la à l’eau et au savon et consultez un médecin aujourd’hui."),
    "sewer-backup": "Si vous sentez une odeur de gaz, quittez le bâtiment et appelez le 911 depuis l’extérieur.",
}
