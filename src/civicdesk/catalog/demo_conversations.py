"""The demo city's conversations, canned responses and logged phone calls (English and
Spanish). Read by ``seed_demo``; nothing here is product code.

A chat's lines are ``(who, text)`` with who one of "resident", "agent", "note" (an internal
note), optionally ``(who, text, seconds)`` when a line comes after a longer pause, and
``("file", service_code, description, answers)`` where the agent files a request for the
resident from the chat. In the texts: {first} is the resident's first name, {agent} the
agent's, {address} and {street} the resident's address (or the request's, for a chat about
one), {request_id} the request the chat is about.
"""

# Closed chats, each answered in the chat survey ("csat": score, comment about the chat)
# where the resident may be asked. "days_ago" and "hour" (local time; default some time in office hours):
# when it happened. "about": the chat is about a request of that service the resident filed
# a few days before (the demo files it then).
CHATS = [
    {
        "language": "en", "department": "public-works", "about": "pothole", "days_ago": 2, "hour": 14,
        "subject": "Pothole I reported", "resolution": "answered",
        "csat": (5, "Got an answer in two minutes. Thanks!"),
        "lines": [
            ("resident", "Hi, I reported a pothole on {street} a few days ago and it's still there. Is anyone coming?"),
            ("agent", "Hi {first}, this is {agent} with Riverton 311. Sorry it's still there. Let me look it up."),
            ("agent", "I found your request, {request_id} at {address}. It's on the Public Works crew list, and most potholes on that list are patched within a few working days."),
            ("resident", "OK, good. Will I hear when it's done?"),
            ("agent", "Yes. You'll get an email when the crew marks it resolved, and you can check it any time on our website with the request number."),
            ("resident", "Perfect, thanks."),
            ("agent", "You're welcome, {first}. Have a good afternoon!"),
        ],
    },
    {
        "language": "es", "department": "sanitation", "days_ago": 5,
        "subject": "No pasaron por la basura", "resolution": "request_filed",
        "csat": (5, "Me atendieron rápido y en español. Gracias."),
        "lines": [
            ("resident", "Hola, hoy no pasaron por la basura en mi calle. El contenedor estaba afuera desde las 6."),
            ("agent", "Hola {first}, le atiende {agent} de la línea 311 de Riverton. Lamento la molestia. ¿Me confirma su dirección?"),
            ("resident", "{address}"),
            ("agent", "Gracias. Voy a registrar el reporte para que el camión regrese."),
            ("file", "missed-trash", "El camión no pasó hoy; el contenedor estaba afuera desde las 6 de la mañana.", {}),
            ("agent", "Listo. Normalmente el camión regresa en un día hábil. Por favor deje el contenedor afuera hasta entonces."),
            ("resident", "Perfecto, muchas gracias."),
            ("agent", "Con gusto. ¡Que tenga buen día!"),
        ],
    },
    {
        "language": "en", "department": None, "days_ago": 9,
        "subject": "Old couch", "resolution": "request_filed", "csat": (4, ""),
        "lines": [
            ("resident", "How do I get rid of an old couch? It won't fit in the cart."),
            ("agent", "Hi {first}, {agent} here. We pick up furniture for free on your regular collection day, and I can schedule it for you now. What's your address?"),
            ("resident", "{address}. It's a couch and a broken recliner."),
            ("agent", "Got it, two items. Please have them at the curb by 6 a.m. on your pickup day, and not before the evening before."),
            ("file", "bulk-pickup", "A couch and a broken recliner.", {"count": 2}),
            ("agent", "You'll get an email when the crew picks them up. Anything else I can help with?"),
            ("resident", "No, that's it. Thanks!"),
        ],
    },
    {
        "language": "en", "department": "animal-services", "days_ago": 12,
        "subject": "Dog barking all night", "resolution": "request_filed",
        "csat": (3, "Friendly, but I hope the letter works. This has been going on for months."),
        "lines": [
            ("resident", "The dog behind my house barks all night. I haven't slept properly in weeks."),
            ("agent", "Hi {first}, I'm sorry, that sounds exhausting. I'm {agent} with Riverton 311. When does the barking usually happen?"),
            ("resident", "Every night from about 10 until 1 or 2. Weekends too."),
            ("agent", "Thank you. I'll file a report with Animal Services. The first step is a letter to the owner; if the barking continues, an officer visits and can issue a citation."),
            ("note", "Third barking complaint around this block this month; worth an officer visit rather than a letter."),
            ("file", "barking-dog", "The dog behind the house barks every night from about 10 p.m. until 1 or 2 a.m., weekends too.",
             {"days": ["night", "weekend"]}),
            ("agent", "Your report is filed. Your name is not shared with the dog's owner."),
            ("resident", "OK, thank you."),
        ],
    },
    {
        "language": "es", "department": "water", "days_ago": 16, "hour": 15.5,
        "subject": "Sale agua de la banqueta", "resolution": "request_filed",
        "csat": (5, "Muy amable y rápido. Me explicó todo."),
        "lines": [
            ("resident", "Buenas tardes. Está saliendo mucha agua por debajo de la banqueta frente a mi casa."),
            ("agent", "Buenas tardes, {first}. Soy {agent}, de la línea 311. ¿Desde cuándo sale el agua? ¿Se ve limpia?"),
            ("resident", "Desde la mañana. Sí, se ve limpia, pero ya se está llenando la orilla de la calle."),
            ("agent", "Gracias. ¿Cuál es la dirección exacta?"),
            ("resident", "{address}"),
            ("file", "water-leak", "Sale mucha agua limpia por debajo de la banqueta desde la mañana; ya se está llenando la orilla.",
             {"hazard": "no"}),
            ("agent", "Ya quedó registrado. Una cuadrilla de Agua y Alcantarillado irá lo antes posible. Si nota baja presión en su casa, es normal mientras reparan."),
            ("resident", "Muchas gracias por la ayuda."),
        ],
    },
    {
        "language": "en", "department": "transportation", "days_ago": 20,
        "subject": "Parking ticket", "resolution": "referred", "csat": (4, ""),
        "lines": [
            ("resident", "I got a parking ticket on {street} and I think it's wrong. How do I fight it?"),
            ("agent", "Hi {first}, this is {agent}. Parking tickets are handled by the Riverton Municipal Court, not by 311, so I can't change it from here."),
            ("agent", "You can contest it on the court's website or in person within 21 days of the date on the ticket. Photos of where you parked help."),
            ("resident", "OK. Is the court in City Hall?"),
            ("agent", "Yes, on the first floor of City Hall, 100 City Hall Plaza, open weekdays from 8 to 5."),
            ("resident", "Thanks for explaining."),
            ("agent", "You're welcome. Good luck!"),
        ],
    },
    {
        "language": "es", "department": "public-works", "about": "streetlight-out", "days_ago": 4, "hour": 10,
        "subject": "Poste de luz apagado", "resolution": "answered",
        "csat": (4, "Buena atención, pero ojalá lo arreglen pronto."),
        "lines": [
            ("resident", "Hola, reporté un poste de luz apagado hace unos días y sigue igual. ¿Me puede decir cómo va?"),
            ("agent", "Hola {first}, soy {agent}. Con gusto lo reviso."),
            ("agent", "Encontré su solicitud {request_id} en {address}. Ya está en la lista de los electricistas de Obras Públicas; normalmente se repara en unos días."),
            ("resident", "¿Me avisan cuando quede?"),
            ("agent", "Sí, le llegará un correo cuando se marque como resuelta. También puede consultarla en nuestra página con el número de solicitud."),
            ("resident", "Muy bien, gracias."),
        ],
    },
    {
        "language": "en", "department": "code-enforcement", "days_ago": 27,
        "subject": "Loud music", "resolution": "no_response",
        "lines": [
            ("resident", "My neighbors play loud music every weekend until 3 in the morning. What can I do?"),
            ("agent", "Hi {first}, I'm {agent} with Riverton 311. I can file a noise complaint with Code Enforcement. What's the address of the house with the music?"),
            ("agent", "Are you still there? I need the address to file the complaint.", 300),
            ("agent", "I haven't heard back, so I'll close this chat. You can report noise any time on our website under Property, or chat with us again.", 420),
        ],
    },
    {
        "language": "en", "department": "parks", "days_ago": 33,
        "subject": "Branch down", "resolution": "request_filed",
        "csat": (5, "Quick and easy, and I didn't have to fill in a form myself."),
        "lines": [
            ("resident", "A big branch came down in the storm last night and it's blocking the sidewalk in front of my house."),
            ("agent", "Hi {first}, {agent} here. Is anyone hurt, or is the branch touching any wires?"),
            ("resident", "No, nobody's hurt and no wires. People are just walking in the street to get around it."),
            ("agent", "Thanks. What's the address?"),
            ("resident", "{address}"),
            ("file", "tree-down", "Large branch down from last night's storm, blocking the whole sidewalk. No wires involved.",
             {"hazard": "no", "size": "large"}),
            ("agent", "A tree crew will come to clear it. If anything changes, like a wire coming down, call 911."),
            ("resident", "Will do, thank you!"),
        ],
    },
]

# Messages left outside office hours, waiting for an answer by email: the last evening
# before the demo was seeded, at "hour" (local time).
MESSAGES_LEFT = [
    {"language": "en", "department": "sanitation", "hour": 18.5, "subject": "Stolen recycling cart",
     "text": "Our recycling cart was stolen on pickup day. How do we get a new one? We're at {address}."},
    {"language": "es", "department": "animal-services", "hour": 21.25, "subject": "Perro encontrado",
     "text": "Buenas noches. Encontré un perro con collar pero sin placa y lo tengo en mi patio. ¿Qué debo hacer? Estoy en {address}."},
]

# A chat waiting for an agent now (an agent who goes online is given it).
WAITING = {"language": "en", "department": "parks", "subject": "Tennis courts",
           "text": "Hi, are the tennis courts at the park open this weekend? The gate was locked today."}

# Canned responses: (title, department slug or None for everyone, English, Spanish).
# {name} and {request_id} are filled in when an agent uses one.
CANNED = [
    ("Greeting", None,
     "Hi {name}, this is Riverton 311. How can I help you today?",
     "Hola {name}, le atiende la línea 311 de Riverton. ¿En qué le puedo ayudar?"),
    ("Ask for the address", None,
     "What is the closest address or intersection? A house number and street name is best.",
     "¿Cuál es la dirección o el cruce de calles más cercano? Lo mejor es un número de casa y el nombre de la calle."),
    ("Request filed", None,
     "Thank you, {name}. I filed request {request_id} for you. You will get an email when its status changes, and you can follow it on our website with that number.",
     "Gracias, {name}. Registré la solicitud {request_id} para usted. Le llegará un correo cuando cambie su estado, y puede seguirla en nuestra página con ese número."),
    ("Emergency: call 911", None,
     "If anyone is hurt or in danger right now, please call 911 first. We can take the report here afterwards.",
     "Si alguien está herido o en peligro ahora mismo, llame primero al 911. Después podemos tomar el reporte aquí."),
    ("Anything else?", None,
     "Is there anything else I can help you with today?",
     "¿Hay algo más en lo que le pueda ayudar hoy?"),
    ("Closing", None,
     "Thank you for contacting Riverton 311, {name}. Have a good day!",
     "Gracias por comunicarse con la línea 311 de Riverton, {name}. ¡Que tenga buen día!"),
    ("Missed pickup: next steps", "sanitation",
     "Sorry we missed you, {name}. Please leave your cart at the curb; the truck will come back within one business day.",
     "Lamentamos no haber pasado, {name}. Por favor deje su contenedor en la banqueta; el camión regresará en un día hábil."),
    ("Bulk pickup rules", "sanitation",
     "We pick up up to four bulk items on your regular collection day, free of charge. Put them at the curb by 6 a.m., not before the evening before. Remove the doors from refrigerators and freezers.",
     "Recogemos hasta cuatro objetos grandes en su día de recolección, sin costo. Póngalos en la banqueta antes de las 6 de la mañana, no antes de la noche anterior. Quite las puertas de refrigeradores y congeladores."),
    ("Pothole repair times", "public-works",
     "Our crews patch most potholes within two business days of the report. Larger repairs are scheduled with the next paving work on that street.",
     "Nuestras cuadrillas tapan la mayoría de los baches en dos días hábiles después del reporte. Las reparaciones más grandes se programan con la próxima pavimentación de esa calle."),
    ("Animal bite: first steps", "animal-services",
     "If the bite broke the skin, wash it with soap and water and see a doctor today. An animal control officer will contact you to check the animal's rabies vaccination.",
     "Si la mordida rompió la piel, lávela con agua y jabón y vea a un médico hoy. Un oficial de control animal se comunicará con usted para revisar la vacuna antirrábica del animal."),
    ("Parking tickets go to the court", "transportation",
     "Parking tickets are handled by the Riverton Municipal Court. You can contest a ticket on the court's website or in person at City Hall within 21 days.",
     "Las multas de estacionamiento las atiende el Tribunal Municipal de Riverton. Puede impugnar una multa en la página del tribunal o en persona en el Ayuntamiento dentro de 21 días."),
    ("Water main break", "water",
     "A crew is on the way. While they repair the main, your water may be off or the pressure low for a few hours.",
     "Una cuadrilla va en camino. Mientras reparan la tubería, es posible que no tenga agua o que la presión esté baja por unas horas."),
]

# Phone calls agents log on residents' records (console: the resident's calls). A call that
# filed a request says so; the others are (summary, outcome).
CALL_FILED = "Called to report: {service} at {address}. Filed {request_id}."
OTHER_CALLS = [
    ("Asked which day bulk pickup is on their street; explained it is the regular collection day.", "answered"),
    ("Asked how to get a new recycling cart; explained the cart request and that delivery takes about a week.", "answered"),
    ("Question about a water bill; transferred to Utility Billing.", "transferred"),
    ("Wants a callback after 5 p.m. about the status of the tree trimming on their block.", "callback"),
    ("Asked whether the city removes snow from sidewalks; explained owners clear their own sidewalks within 24 hours.", "answered"),
    ("Complaint about a neighbor's fence; transferred to the Building Department.", "transferred"),
    ("Asked where to drop off old paint; gave the household hazardous waste event dates.", "answered"),
    ("Asked about renting the park pavilion for a birthday party; transferred to Parks reservations.", "transferred"),
]
